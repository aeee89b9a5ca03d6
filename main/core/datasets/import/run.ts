import type { ImportFormat, ImportSummary, Split } from '../../../common/contract/dataset';
import type { DB } from '../../db/open';
import type { JobContext } from '../../jobs/registry';
import { classList, getClasses } from '../classes';
import { SampleWriter } from '../store';
import { ErrorList, type ImportEnv } from './env';
import { importCsv } from './csv';
import { importIdx } from './idx';
import { importImages } from './images';
import { buildPlan } from './plan';

export interface ImportRequest {
  paths: string[];
  format: ImportFormat;
  split?: Split;
  label?: string;
  transposed: boolean;
  /** How files are named in sources and errors (uploads: their uploaded names). */
  display?: (file: string) => string;
  /** Recorded as the batch's source (default: the paths). */
  batchSource?: string;
  batchSize?: number;
}

export interface ImportOutcome extends ImportSummary {
  cancelled: boolean;
}

/**
 * The one import path (UI, browser uploads and CLI): plan, then IDX, CSV and image files, stored in
 * transactions of `batchSize` samples. A crash loses at most the batch in flight; cancelling keeps every
 * committed batch and the one in flight (it is committed before stopping).
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
  const writer = new SampleWriter(db, { batchId, split: req.split, batchSize: req.batchSize });
  let done = 0;
  let total = 0;
  const report = (force = false) =>
    job.progress(done, total || null, `${writer.imported + writer.pendingCount} new, ${writer.duplicates} duplicates, ${errors.count} errors`, undefined, force);
  const env: ImportEnv = {
    writer,
    errors,
    classes,
    signal: job.signal,
    transposed: req.transposed,
    display,
    tick(n = 1) {
      done += n;
      if ((done & 255) === 0 || n > 1) report();
    },
    addTotal(n) {
      total += n;
    },
  };
  let status: 'done' | 'cancelled' | 'failed' = 'done';
  try {
    const plan = buildPlan(req.paths, format, req.label ?? null, errors, display);
    for (const f of plan.idx) await importIdx(env, f);
    for (const f of plan.csv) await importCsv(env, f);
    if (plan.images.length) await importImages(env, plan.images);
    writer.flush();
  } catch (e) {
    if (job.signal.aborted || (e as Error)?.name === 'AbortError') status = 'cancelled';
    else status = 'failed';
    try {
      writer.flush();
    } catch {
      /* the failing batch is rolled back; what was committed stays */
    }
    if (status === 'failed') {
      finish(db, batchId, status, errors);
      throw e;
    }
  }
  finish(db, batchId, status, errors);
  report(true);
  return { imported: writer.imported, duplicates: writer.duplicates, errors: errors.toJSON(), batchId, cancelled: status === 'cancelled' };
}

function finish(db: DB, batchId: number, status: string, errors: ErrorList): void {
  db.prepare(`UPDATE import_batches SET status = ?, finished_at = ?, errors = ? WHERE id = ?`).run(
    status,
    Date.now(),
    JSON.stringify(errors.toJSON()),
    batchId,
  );
}
