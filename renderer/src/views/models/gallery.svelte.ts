/**
 * The samples of one confusion-matrix cell: their images (fetched by id, a page at a time), a
 * keyboard cursor, and relabeling by typing a class character on the selected tile.
 */
import type { Split } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { describeError as describe } from '../../lib/errors';

export interface GalleryTile {
  id: number;
  label: string | null;
  image: string | null;
  /** The label before this gallery changed it. */
  was: string | null;
  relabeled: boolean;
}

const PAGE = 48;

export class CellGallery {
  tile = $state<{ true: string; predicted: string; split: Split } | null>(null);
  ids: number[] = [];
  tiles = $state<GalleryTile[]>([]);
  cursor = $state(0);
  error = $state<string | null>(null);
  loading = $state(false);
  /** The dataset's class set: what a typed character may relabel to. */
  classes = $state('');
  private generation = 0;

  total = $state(0);
  readonly more: boolean = $derived(this.tiles.length < this.total);

  async open(cell: { true: string; predicted: string; split: Split }, ids: number[]): Promise<void> {
    this.generation++;
    this.tile = cell;
    this.ids = ids;
    this.total = ids.length;
    this.tiles = [];
    this.cursor = 0;
    this.error = null;
    if (!this.classes) {
      try {
        this.classes = (await core.call('dataset.stats', {})).classes;
      } catch (e) {
        this.error = describe('Cannot read the class set', e);
      }
    }
    await this.loadMore();
  }

  close(): void {
    this.generation++;
    this.tile = null;
    this.tiles = [];
    this.total = 0;
  }

  async loadMore(): Promise<void> {
    const gen = this.generation;
    const next = this.ids.slice(this.tiles.length, this.tiles.length + PAGE);
    if (!next.length) return;
    this.loading = true;
    // One query for the page; samples deleted since the evaluation show as missing.
    const found = new Map<number, { label: string | null; thumb?: string }>();
    try {
      const { rows } = await core.call('dataset.query', { filter: { ids: next }, limit: next.length, thumbs: true });
      for (const r of rows) found.set(r.id, r);
    } catch (e) {
      this.error = describe('Cannot load the samples', e);
    }
    const out: GalleryTile[] = next.map((id) => {
      const r = found.get(id);
      return { id, label: r?.label ?? null, image: r?.thumb ?? null, was: r?.label ?? null, relabeled: false };
    });
    if (gen !== this.generation) return;
    this.tiles = [...this.tiles, ...out];
    this.loading = false;
  }

  move(delta: number): void {
    if (!this.tiles.length) return;
    this.cursor = Math.max(0, Math.min(this.tiles.length - 1, this.cursor + delta));
  }

  /** The class a typed key stands for, if any ('o' is 'O' when only upper case is a class). */
  classFor(key: string): string | null {
    if ([...key].length !== 1) return null;
    if (this.classes.includes(key)) return key;
    for (const k of [key.toUpperCase(), key.toLowerCase()]) if (this.classes.includes(k)) return k;
    return null;
  }

  async relabel(label: string): Promise<void> {
    const t = this.tiles[this.cursor];
    if (!t || t.image === null) return;
    const before = t.label;
    t.label = label;
    t.relabeled = label !== t.was;
    try {
      await core.call('dataset.relabel', { ids: [t.id], label, reason: 'review' });
      this.move(1);
    } catch (e) {
      t.label = before;
      t.relabeled = before !== t.was;
      this.error = describe(`Cannot relabel sample ${t.id}`, e);
    }
  }
}
