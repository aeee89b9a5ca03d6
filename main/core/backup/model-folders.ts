import fs from 'node:fs';
import path from 'node:path';
import type { ModelFolderReport } from '../../common/contract/backup';
import type { CoreContext } from '../context';
import { MODELS_FOLDER } from '../models/registry';

/** A training's output before it is registered (runs.ts): `tmp-run-<runId>-<ms>`. */
const TMP_RUN = /^tmp-run-(\d+)-\d+$/;
/** A model folder being copied in (models/registry.ts importModel): `tmp-import-<pid>-<ms>`. */
const TMP_IMPORT = /^tmp-import-(\d+)-\d+$/;
/** A registered model's folder: `<id>-<slug>`. */
const MODEL_DIR = /^\d+-[a-z0-9-]+$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At core start, after a crash: the models folder against the models table.
 * - Temp folders of a model save or import that no live process owns (a kill during the save) are
 *   removed: they are unregistered by definition, and the training run resumes from its checkpoint
 *   and saves the model again.
 * - Model folders no row points to (a kill between the folder's rename and the commit of its row, or
 *   a backup restored from before the model) are reported, never deleted: `models.import` adds one back.
 * - Rows whose folder or model.json is gone are reported (OCR falls back to the bundled model).
 * Call it after the training handlers exist (they mark runs of ended processes as interrupted).
 */
export function checkModelFolders(ctx: Pick<CoreContext, 'db' | 'dataDir'>): ModelFolderReport {
  const root = path.join(ctx.dataDir, MODELS_FOLDER);
  const report: ModelFolderReport = { removed: [], unregistered: [], missing: [] };
  const rows = ctx.db.prepare(`SELECT id, name, dir FROM models`).all() as { id: number; name: string; dir: string }[];
  const abs = (dir: string) => path.resolve(path.isAbsolute(dir) ? dir : path.join(ctx.dataDir, dir));
  for (const r of rows) {
    if (!r.dir || !fs.existsSync(path.join(abs(r.dir), 'model.json'))) report.missing.push({ id: r.id, name: r.name, dir: r.dir });
  }
  if (!fs.existsSync(root)) return report;
  const referenced = new Set(rows.filter((r) => r.dir).map((r) => abs(r.dir)));
  const running = new Set(
    (ctx.db.prepare(`SELECT id FROM training_runs WHERE status = 'running'`).pluck().all() as number[]).map(Number),
  );
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(root, entry.name);
    const run = TMP_RUN.exec(entry.name);
    const imp = TMP_IMPORT.exec(entry.name);
    if (run || imp) {
      const owned = run ? running.has(Number(run[1])) : pidAlive(Number(imp![1]));
      if (owned) continue;
      fs.rmSync(full, { recursive: true, force: true });
      report.removed.push(full);
    } else if (MODEL_DIR.test(entry.name) && !referenced.has(path.resolve(full))) {
      report.unregistered.push(full);
    }
  }
  return report;
}
