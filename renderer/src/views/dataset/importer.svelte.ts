/**
 * Imports started from the Dataset view: paths in Electron (dataset.import), uploaded files in
 * browser mode (dataset.importUpload, in chunks). Follows each job's progress, adds up the
 * summaries, and cancels through jobs.cancel.
 */
import type { EventPayload, ImportProgress, ImportSummary, Split, UnknownLabel } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { fileToBase64, planUploads, type PickedFile } from './files';
import { sourceName } from './names';
import { describeError, errorMessage, isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';

type Finished = EventPayload<'job.finished'>;

export interface ImportReport {
  imported: number;
  duplicates: number;
  errors: { file: string; reason: string }[];
  status: 'done' | 'failed' | 'cancelled';
  message: string | null;
  /** Folder labels that are not classes (their images were skipped): the summary offers the fix. */
  unknownLabels: UnknownLabel[];
}

/** What the last import read, to import it again with a fix (capitals, added classes). */
type LastInput = { paths: string[] } | { files: PickedFile[] };

/** The contract's bound on paths per dataset.import request. */
const MAX_PATHS = 10_000;
/** The contract's bound on one uploaded file's base64. */
const MAX_FILE_CHARS = 48 * 1024 * 1024;

export class Importer {
  running = $state(false);
  phase = $state('');
  done = $state(0);
  total = $state<number | null>(null);
  report = $state<ImportReport | null>(null);
  /** Options for what the files do not say themselves. */
  split = $state<Split | ''>('');
  label = $state('');

  private last: LastInput | null = null;
  private capitals = false;
  private jobId: string | null = null;
  private cancelRequested = false;
  private finished = new Map<string, Finished>();
  private summaries = new Map<string, ImportSummary>();
  private waiters = new Map<string, (f: Finished) => void>();
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly onImported: () => void) {}

  attach(): () => void {
    this.unsubscribe.push(
      core.on('job.progress', (p) => {
        // The last event of an import carries its summary, also when it was cancelled (ImportProgress).
        const data = p.data as ImportProgress | undefined;
        if (p.kind === 'import' && data?.summary) this.summaries.set(p.id, data.summary);
        if (p.id !== this.jobId) return;
        this.done = p.done;
        this.total = p.total;
        if (p.message) this.phase = p.message;
      }),
      core.on('job.finished', (f) => {
        const waiter = this.waiters.get(f.id);
        if (waiter) waiter(f);
        // A job can end before its id comes back to us: keep the ending for a moment.
        else if (f.kind === 'import') this.finished.set(f.id, f);
      }),
    );
    return () => {
      for (const u of this.unsubscribe.splice(0)) u();
    };
  }

  /** Electron: files and folders on disk. */
  async importPaths(paths: string[]): Promise<void> {
    if (!paths.length) return;
    this.last = { paths };
    await this.run(paths.length, async (report) => {
      for (let i = 0; i < paths.length && !this.cancelRequested; i += MAX_PATHS) {
        const part = paths.slice(i, i + MAX_PATHS);
        this.phase = `Importing ${part.length === 1 ? part[0] : `${part.length} files and folders`}…`;
        const { jobId } = await call('dataset.import', { paths: part, ...this.options() });
        await this.follow(jobId, report);
      }
    });
  }

  /** Browser mode: read the files here and send them in chunks. */
  async importFiles(files: PickedFile[]): Promise<void> {
    if (!files.length) return;
    this.last = { files };
    await this.run(files.length, async (report) => {
      const tooBig = files.filter((f) => Math.ceil(f.file.size / 3) * 4 > MAX_FILE_CHARS);
      for (const f of tooBig) report.errors.push({ file: f.name, reason: 'too large to upload in browser mode (use the desktop app or the CLI)' });
      const groups = planUploads(files.filter((f) => !tooBig.includes(f)));
      const source = sourceName(files);
      let sent = 0;
      for (const [g, group] of groups.entries()) {
        if (this.cancelRequested) break;
        this.phase = `Reading files${groups.length > 1 ? ` (part ${g + 1} of ${groups.length})` : ''}…`;
        const payload: { name: string; data: string }[] = [];
        for (const f of group) {
          try {
            payload.push({ name: f.name, data: await fileToBase64(f.file) });
          } catch (e) {
            report.errors.push({ file: f.name, reason: errorMessage(e) });
          }
        }
        if (!payload.length || this.cancelRequested) continue;
        this.phase = `Importing ${sent + 1}–${sent + payload.length} of ${files.length} files…`;
        const part = groups.length > 1 ? ` (part ${g + 1} of ${groups.length})` : '';
        const { jobId } = await call('dataset.importUpload', { files: payload, source: `${source}${part}`.slice(0, 255), ...this.options() });
        await this.follow(jobId, report);
        sent += payload.length;
      }
    });
  }

  /**
   * The fix for folder labels that are not classes: import the last input again with lowercase folders as
   * their capitals, or after adding the labels to the class set (`addClasses`). Images already imported come
   * back as duplicates; in browser mode only the skipped folders are sent again.
   */
  async importAgain(fix: { capitals: true } | { addClasses: string[] }, classes: string): Promise<void> {
    const last = this.last;
    const labels = this.report?.unknownLabels.map((u) => u.label) ?? [];
    if (!last || this.running) return;
    if ('addClasses' in fix) {
      const extra = fix.addClasses.filter((c) => !Array.from(classes).includes(c)).join('');
      if (extra) await call('dataset.setClasses', { classes: classes + extra });
    }
    this.capitals = 'capitals' in fix;
    try {
      if ('paths' in last) await this.importPaths(last.paths);
      else {
        const skipped = last.files.filter((f) => labels.includes(f.name.split('/')[0] ?? ''));
        await this.importFiles(skipped.length ? skipped : last.files);
        this.last = last;
      }
    } finally {
      this.capitals = false;
    }
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    this.phase = 'Cancelling…';
    if (this.jobId) {
      try {
        await call('jobs.cancel', { id: this.jobId });
      } catch (e) {
        this.phase = describeError('Cancel', e);
      }
    }
  }

  dismiss(): void {
    this.report = null;
  }

  private options(): { split?: Split; label?: string; capitals?: boolean } {
    const label = this.label.trim();
    return { ...(this.split ? { split: this.split } : {}), ...(label ? { label } : {}), ...(this.capitals ? { capitals: true } : {}) };
  }

  private async run(count: number, body: (report: ImportReport) => Promise<void>): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.cancelRequested = false;
    this.finished.clear();
    this.summaries.clear();
    this.report = null;
    this.done = 0;
    this.total = count;
    const report: ImportReport = { imported: 0, duplicates: 0, errors: [], status: 'done', message: null, unknownLabels: [] };
    const lastBatch = await this.lastBatchId();
    try {
      await body(report);
      if (this.cancelRequested && report.status === 'done') report.status = 'cancelled';
    } catch (e) {
      report.status = isCancelled(e) ? 'cancelled' : 'failed';
      report.message = describeError('Import', e);
    } finally {
      // A failed job reports no summary, but what it committed stays: count it from the batches.
      if (report.status === 'failed' && lastBatch !== null) {
        const committed = await this.importedSince(lastBatch);
        if (committed !== null) report.imported = committed;
      }
      this.jobId = null;
      this.running = false;
      this.phase = '';
      this.report = report;
      this.onImported();
    }
  }

  private async lastBatchId(): Promise<number | null> {
    try {
      const stats = await call('dataset.stats', {});
      return stats.batches.reduce((m, b) => Math.max(m, b.id), 0);
    } catch {
      return null;
    }
  }

  private async importedSince(batchId: number): Promise<number | null> {
    try {
      const stats = await call('dataset.stats', {});
      return stats.batches.filter((b) => b.id > batchId).reduce((n, b) => n + b.imported, 0);
    } catch {
      return null;
    }
  }

  /** Wait for a job to end and add its summary to the report. */
  private async follow(jobId: string, report: ImportReport): Promise<void> {
    this.jobId = jobId;
    if (this.cancelRequested) void call('jobs.cancel', { id: jobId }).catch(() => undefined);
    const ending =
      this.finished.get(jobId) ?? (await new Promise<Finished>((resolve) => this.waiters.set(jobId, resolve)));
    this.waiters.delete(jobId);
    this.finished.delete(jobId);
    // A cancelled job has no result: its last progress event said what it did before stopping.
    const summary = (ending.result as Partial<ImportSummary> | undefined) ?? this.summaries.get(jobId);
    this.summaries.delete(jobId);
    if (summary) {
      report.imported += summary.imported ?? 0;
      report.duplicates += summary.duplicates ?? 0;
      report.errors.push(...(summary.errors ?? []));
      for (const u of summary.unknownLabels ?? []) {
        const seen = report.unknownLabels.find((k) => k.label === u.label);
        if (seen) seen.count += u.count;
        else report.unknownLabels.push({ ...u });
      }
    }
    if (ending.status === 'cancelled') report.status = 'cancelled';
    else if (ending.status === 'failed') {
      throw Object.assign(new Error(ending.error?.message ?? 'failed'), { type: ending.error?.type ?? 'internal' });
    }
  }
}
