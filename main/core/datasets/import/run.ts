import type { ImportFormat, ImportProgress, ImportSummary, Split } from '../../../common/contract/dataset';
import type { DB } from '../../db/open';
import type { JobContext } from '../../jobs/registry';
import { classList, getClasses } from '../classes';
import { type PipelineOptions, PipelinedWriter } from '../pipeline';
import { SampleWriter } from '../store';
import { enterBulkMode } from './bulk-mode';
import { ErrorList, type ImportEnv } from './env';
import { importCsv } from './csv';
import { importIdx } from './idx';
import { importImages } from './images';
import { buildPlan } from './plan';
import { reviewFolderLabels } from './unknown-labels';

export interface ImportRequest {
  paths: string[];
  format: ImportFormat;
  split?: Split;
  label?: string;
  transposed: boolean;
  /** Lowercase folder labels take their capital when only the capital is a class (x/ → X). */
  capitals?: boolean;
  /** How files are named in sources and errors (uploads: their uploaded names). */
  display?: (file: string) => string;
  /** Recorded as the batch's source (default: the paths). */
  batchSource?: string;
  /** Transaction sizes and where encoding runs (tests, benches). */
  pipeline?: Omit<PipelineOptions, 'onCommit'>;
}

export interface ImportOutcome extends ImportSummary {
  cancelled: boolean;
}

/**
 * The one import path (UI, browser uploads and CLI): plan, then IDX, CSV and image files, stored in
 * transactions (PipelinedWriter). A crash loses at most what was not committed yet; cancelling keeps every
 * committed batch and the ones in flight (they are committed before stopping), and still reports a summary.
 *
 * Progress `done` counts settled items (committed, duplicate or failed), so what a progress event reports
 * is in the database; `data` carries running figures and, with the last event, the summary (ImportProgress).
 */
export async function runImport(db: DB, req: ImportRequest, job: Pick<JobContext, 'signal' | 'progress'>): Promise<ImportOutcome> {
  const display = req.display ?? ((f: string) => f);
  const errors = new ErrorList();
  const classes = classList(getClasses(db));
  const format = req.format;
  const batchId = Number(
    db
      .prepare(`INSERT INTO import_batches (source, format, started_at) VALUES (?, ?, ?)`)
      .run((req.batchSource ?? req.paths.map(display).join(', ')).slice(0, 4000), format, Date.now()).lastInsertRowid,
  );
  let done = 0;
  let total = 0;
  let lastReport = 0;
  const report = (summary?: ImportProgress['summary']) => {
    const settled = done - writer.uncommitted;
    const data: ImportProgress = { imported: writer.imported, duplicates: writer.duplicates, errors: errors.count, ...(summary ? { summary } : {}) };
    job.progress(settled, total || null, `${writer.imported} new, ${writer.duplicates} duplicates, ${errors.count} errors`, data, summary !== undefined);
  };
  const writer: PipelinedWriter = new PipelinedWriter(new SampleWriter(db, { batchId, split: req.split }), { ...req.pipeline, onCommit: () => report() });
  const env: ImportEnv = {
    writer,
    errors,
    classes,
    signal: job.signal,
    transposed: req.transposed,
    display,
    tick(n = 1) {
      done += n;
      if (done - lastReport >= 256 || n > 1) {
        lastReport = done;
        report();
      }
    },
    addTotal(n) {
      total += n;
    },
  };
  const leaveBulk = enterBulkMode(db);
  let status: 'done' | 'cancelled' | 'failed' = 'done';
  let unknownLabels: ReturnType<typeof reviewFolderLabels> = [];
  try {
    const plan = buildPlan(req.paths, format, req.label ?? null, errors, display);
    unknownLabels = reviewFolderLabels(classes, plan.images, req.capitals ?? false);
    for (const f of plan.idx) await importIdx(env, f);
    for (const f of plan.csv) await importCsv(env, f);
    if (plan.images.length) await importImages(env, plan.images);
    await writer.flush();
  } catch (e) {
    if (job.signal.aborted || (e as Error)?.name === 'AbortError') status = 'cancelled';
    else status = 'failed';
    try {
      await writer.flush();
    } catch {
      /* the failing batch is rolled back; what was committed stays */
    }
    if (status === 'failed') {
      await close(db, writer, leaveBulk);
      finish(db, batchId, status, errors);
      throw e;
    }
  }
  await close(db, writer, leaveBulk);
  finish(db, batchId, status, errors);
  const outcome: ImportOutcome = { imported: writer.imported, duplicates: writer.duplicates, errors: errors.toJSON(), batchId, cancelled: status === 'cancelled' };
  if (unknownLabels.length) outcome.unknownLabels = unknownLabels;
  report(outcome);
  return outcome;
}

async function close(_db: DB, writer: PipelinedWriter, leaveBulk: () => void): Promise<void> {
  try {
    await writer.close();
  } finally {
    leaveBulk();
  }
}

function finish(db: DB, batchId: number, status: string, errors: ErrorList): void {
  db.prepare(`UPDATE import_batches SET status = ?, finished_at = ?, errors = ? WHERE id = ?`).run(
    status,
    Date.now(),
    JSON.stringify(errors.toJSON()),
    batchId,
  );
}
