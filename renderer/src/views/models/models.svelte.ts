/**
 * The Models view's registry state and actions: the models with their figures, the active one,
 * set active, delete, export, import and the per-class comparison of two versions.
 */
import type { ActiveModel, BundledModel, ModelComparison, ModelDetail } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { downloadBase64 } from '../../lib/download';
import { fileToBase64 } from '../dataset/files';
import { describeError as describe } from '../../lib/errors';

/** A registered model with its details; accuracy and macro-F1 come from the core's summary (test split, else validation). */
export interface ModelRow extends ModelDetail {
  /** Samples per split in the data snapshot it was trained on. */
  snapshotCounts: Record<string, number> | null;
}

export function toRow(d: ModelDetail): ModelRow {
  const counts = d.dataset
    ? Object.fromEntries(Object.entries(d.dataset.counts).map(([split, byClass]) => [split, Object.values(byClass).reduce((a, b) => a + b, 0)]))
    : null;
  return { ...d, snapshotCounts: counts };
}

export class ModelsController {
  models = $state.raw<ModelRow[]>([]);
  /** The model bundled with the app (read-only), when installed. */
  bundled = $state.raw<BundledModel | null>(null);
  active = $state<ActiveModel | null>(null);
  /** Why there is no active model yet (none trained or set, no bundled one): shown as a hint. */
  noActive = $state<string | null>(null);
  selectedId = $state<number | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  note = $state<string | null>(null);
  /** The model whose deletion waits for a yes. */
  confirmDelete = $state<number | null>(null);
  comparison = $state.raw<ModelComparison | null>(null);
  compareA = $state<number | null>(null);
  compareB = $state<number | null>(null);

  readonly selected: ModelRow | undefined = $derived(this.models.find((m) => m.id === this.selectedId));

  attach(): () => void {
    void this.refresh();
    const off = core.on('job.finished', (p) => {
      if (p.kind === 'train' && p.status === 'done') void this.refresh();
    });
    return off;
  }

  async refresh(): Promise<void> {
    try {
      const list = await core.call('models.list', {});
      const details = await Promise.all(list.models.map((m) => core.call('models.get', { id: m.id })));
      this.models = details.map(toRow);
      this.bundled = list.bundled;
      const state = await core.call('models.active', {});
      this.active = state.model;
      this.noActive = state.reason;
      if (this.selectedId === null || !this.models.some((m) => m.id === this.selectedId)) this.selectedId = this.models[0]?.id ?? null;
      if (this.compareA === null || !this.models.some((m) => m.id === this.compareA)) this.compareA = this.models[1]?.id ?? null;
      if (this.compareB === null || !this.models.some((m) => m.id === this.compareB)) this.compareB = this.models[0]?.id ?? null;
      this.error = null;
    } catch (e) {
      this.error = describe('Cannot list the models', e);
    } finally {
      this.loading = false;
    }
  }

  private flash(text: string): void {
    this.note = text;
    this.error = null;
  }

  async setActive(id: number | null): Promise<void> {
    try {
      const state = await core.call('models.setActive', { id });
      this.active = state.model;
      this.noActive = state.reason;
      if (state.model) this.flash(id === null ? 'OCR now uses the bundled model.' : `OCR and predictions now use “${state.model.name}”.`);
      else this.flash('No model is active now: there is no bundled model.');
      await this.refresh();
    } catch (e) {
      this.error = describe('Cannot make the model active', e);
    }
  }

  async remove(id: number): Promise<void> {
    this.confirmDelete = null;
    const name = this.models.find((m) => m.id === id)?.name ?? `model ${id}`;
    try {
      await core.call('models.delete', { id });
      if (this.selectedId === id) this.selectedId = null;
      this.flash(`Deleted “${name}”.`);
      await this.refresh();
    } catch (e) {
      this.error = describe(`Cannot delete “${name}”`, e);
    }
  }

  async exportTo(id: number, out: string): Promise<void> {
    if (!out.trim()) {
      this.error = 'Export: type the folder to write the model to';
      return;
    }
    try {
      const r = await core.call('models.export', { id, out: out.trim() });
      this.flash(`Exported to ${r.dir}`);
    } catch (e) {
      this.error = describe('Cannot export the model', e);
    }
  }

  /** Downloads the model as one zip archive (model.json, weights.bin, model.onnx, metadata.json). */
  async exportArchive(id: number): Promise<void> {
    try {
      const r = await core.call('models.exportArchive', { id });
      downloadBase64(r.name, r.data, 'application/zip');
      this.flash(`Downloaded ${r.name}`);
    } catch (e) {
      this.error = describe('Cannot export the model', e);
    }
  }

  /** Registers the model in an uploaded archive (written by Export or `glyphlab model export`). */
  async importArchive(file: File, name: string): Promise<boolean> {
    try {
      const data = await fileToBase64(file);
      const m = await core.call('models.importArchive', { file: file.name, data, ...(name.trim() ? { name: name.trim() } : {}) });
      return await this.imported(m);
    } catch (e) {
      this.error = describe(`Cannot import ${file.name}`, e);
      return false;
    }
  }

  private async imported(m: { id: number; name: string }): Promise<boolean> {
    this.flash(`Imported “${m.name}”.`);
    await this.refresh();
    this.selectedId = m.id;
    return true;
  }

  async importFrom(dir: string, name: string): Promise<boolean> {
    if (!dir.trim()) {
      this.error = 'Import: type the folder of a model exported by glyphlab';
      return false;
    }
    try {
      const m = await core.call('models.import', { dir: dir.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
      return await this.imported(m);
    } catch (e) {
      this.error = describe('Cannot import the model', e);
      return false;
    }
  }

  async compare(): Promise<void> {
    if (this.compareA === null || this.compareB === null) return;
    try {
      this.comparison = await core.call('models.compare', { a: this.compareA, b: this.compareB });
    } catch (e) {
      this.error = describe('Cannot compare the models', e);
    }
  }
}
