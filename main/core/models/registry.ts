import fs from 'node:fs';
import path from 'node:path';
import { GlyphError } from '../../common/errors';
import type {
  ActiveModel,
  ActiveModelState,
  DatasetSnapshot,
  ModelDetail,
  ModelList,
  ModelMetrics,
  ModelSummary,
} from '../../common/contract/models';
import type { CoreContext } from '../context';
import { MODEL_FILES } from '../ml/inference/model-files';
import { bundledModel, defaultModelDir } from './bundled';
import { modelFigures } from './figures';
import { type ModelMetadataRead, readModelMetadataFile } from './metadata';

interface ModelRow {
  id: number;
  name: string;
  dir: string;
  classes: string;
  input_size: number;
  config: string;
  backend: string;
  metrics: string | null;
  dataset_snapshot: string | null;
  created_at: number;
}

const ACTIVE_KEY = 'active_model';
export const MODELS_FOLDER = 'models';

export function modelsRoot(ctx: Pick<CoreContext, 'dataDir'>): string {
  return path.join(ctx.dataDir, MODELS_FOLDER);
}

/** Folder names: `<id>-<slug>`. */
export function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'model';
}

function absDir(ctx: CoreContext, dir: string): string {
  return path.isAbsolute(dir) ? dir : path.join(ctx.dataDir, dir);
}

function activeId(ctx: CoreContext): number | null {
  const row = ctx.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(ACTIVE_KEY) as { value: string } | undefined;
  return row ? Number(row.value) || null : null;
}

function parse<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function summary(ctx: CoreContext, row: ModelRow, active: number | null): ModelSummary {
  const metrics = parse<ModelMetrics>(row.metrics);
  return {
    id: row.id,
    name: row.name,
    dir: absDir(ctx, row.dir),
    classes: row.classes,
    inputSize: row.input_size,
    backend: row.backend,
    createdAt: row.created_at,
    ...modelFigures(metrics),
    active: row.id === active,
  };
}

function row(ctx: CoreContext, id: number): ModelRow {
  const r = ctx.db.prepare(`SELECT * FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
  if (!r) throw new GlyphError('not_found', `No model ${id}`);
  return r;
}

/** The registered models, newest first, and the bundled default (read-only) when it is installed. */
export function listModels(ctx: CoreContext): ModelList {
  const active = activeId(ctx);
  const models = (ctx.db.prepare(`SELECT * FROM models ORDER BY created_at DESC, id DESC`).all() as ModelRow[]).map((r) => summary(ctx, r, active));
  const state = activeModel(ctx);
  return { models, bundled: bundledModel(state.model?.id === null) };
}

export function getModel(ctx: CoreContext, id: number): ModelDetail {
  const r = row(ctx, id);
  const dir = absDir(ctx, r.dir);
  return {
    ...summary(ctx, r, activeId(ctx)),
    config: parse(r.config),
    metrics: parse<ModelMetrics>(r.metrics),
    dataset: parse<DatasetSnapshot>(r.dataset_snapshot),
    files: fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [],
  };
}

export interface NewModel {
  name: string;
  classes: string;
  inputSize: number;
  config: unknown;
  backend: string;
  metrics: ModelMetrics | null;
  snapshot: DatasetSnapshot | null;
}

/**
 * Registers a finished model folder that sits under the models folder (a temp name): one row, and
 * the folder renamed to `<id>-<slug>`. If the rename fails, the row is not kept.
 */
export function registerModelDir(ctx: CoreContext, tmpDir: string, m: NewModel): ModelSummary {
  const id = ctx.db.transaction(() => {
    const info = ctx.db
      .prepare(
        `INSERT INTO models (name, dir, classes, input_size, config, backend, metrics, dataset_snapshot, created_at)
         VALUES (?, '', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.name,
        m.classes,
        m.inputSize,
        JSON.stringify(m.config ?? {}),
        m.backend,
        m.metrics ? JSON.stringify(m.metrics) : null,
        m.snapshot ? JSON.stringify(m.snapshot) : null,
        Date.now(),
      );
    const newId = Number(info.lastInsertRowid);
    const rel = path.join(MODELS_FOLDER, `${newId}-${slugify(m.name)}`);
    const target = absDir(ctx, rel);
    // A folder already there is an orphan (a crash between its rename and its row's commit, and the id
    // reused since): keep it aside rather than delete someone's model.
    if (fs.existsSync(target)) fs.renameSync(target, `${target}.orphan-${Date.now()}`);
    fs.renameSync(tmpDir, target);
    ctx.db.prepare(`UPDATE models SET dir = ? WHERE id = ?`).run(rel, newId);
    return newId;
  })();
  return summary(ctx, row(ctx, id), activeId(ctx));
}

export function deleteModel(ctx: CoreContext, id: number): void {
  const r = row(ctx, id);
  ctx.db.transaction(() => {
    if (activeId(ctx) === id) ctx.db.prepare(`DELETE FROM meta WHERE key = ?`).run(ACTIVE_KEY);
    ctx.db.prepare(`UPDATE training_runs SET model_id = NULL WHERE model_id = ?`).run(id);
    ctx.db.prepare(`DELETE FROM models WHERE id = ?`).run(id);
  })();
  const dir = absDir(ctx, r.dir);
  // Only ever remove folders inside our own models folder.
  if (r.dir && path.resolve(dir).startsWith(path.resolve(modelsRoot(ctx)) + path.sep)) fs.rmSync(dir, { recursive: true, force: true });
}

function checkModelFolder(dir: string): ModelMetadataRead {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GlyphError('not_found', `${dir}: no such folder`);
  for (const f of [MODEL_FILES.tfjs, MODEL_FILES.metadata]) {
    if (!fs.existsSync(path.join(dir, f))) throw new GlyphError('bad_input', `${dir}: not a glyphlab model folder (${f} is missing)`);
  }
  // Checks classes (≥ 2 distinct characters) and inputSize, naming the file.
  const meta = readModelMetadataFile(dir);
  let modelJson: { weightsManifest?: { paths?: string[] }[] };
  try {
    modelJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  } catch (e) {
    throw new GlyphError('bad_input', `${path.join(dir, 'model.json')}: ${(e as Error).message}`);
  }
  for (const group of modelJson.weightsManifest ?? []) {
    for (const p of group.paths ?? []) {
      if (!fs.existsSync(path.join(dir, p))) throw new GlyphError('bad_input', `${dir}: weights file ${p} named in model.json is missing`);
    }
  }
  return meta;
}

/** Copies a model folder elsewhere (refuses a non-empty target). */
export function exportModel(ctx: CoreContext, id: number, out: string): string {
  const src = absDir(ctx, row(ctx, id).dir);
  checkModelFolder(src);
  const target = path.resolve(out);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new GlyphError('conflict', `${target}: folder exists and is not empty`);
  }
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.cpSync(src, tmp, { recursive: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
  return target;
}

/** Copies a model folder written by glyphlab into the data folder and registers it. */
export function importModel(ctx: CoreContext, dir: string, name?: string): ModelSummary {
  const src = path.resolve(dir);
  const meta = checkModelFolder(src);
  fs.mkdirSync(modelsRoot(ctx), { recursive: true });
  const tmp = path.join(modelsRoot(ctx), `tmp-import-${process.pid}-${Date.now()}`);
  fs.cpSync(src, tmp, { recursive: true });
  try {
    return registerModelDir(ctx, tmp, {
      name: name ?? meta.name ?? path.basename(src),
      classes: meta.classes,
      inputSize: meta.inputSize,
      config: meta.config ?? {},
      backend: meta.backend ?? 'unknown',
      metrics: meta.metrics ?? null,
      snapshot: meta.data ?? null,
    });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export function setActiveModel(ctx: CoreContext, id: number | null): ActiveModelState {
  if (id === null) ctx.db.prepare(`DELETE FROM meta WHERE key = ?`).run(ACTIVE_KEY);
  else {
    const r = row(ctx, id);
    checkModelFolder(absDir(ctx, r.dir));
    ctx.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(ACTIVE_KEY, String(id));
  }
  return activeModel(ctx);
}

export const NO_MODEL_REASON =
  'No model yet: train one in the Training view (or import a model folder); the bundled default model (resources/models/default) is not installed';

/**
 * The model OCR and predictions use: the chosen one if its folder is there, else the bundled
 * default; `{model: null, reason}` when there is neither (a state, not an error).
 */
export function activeModel(ctx: CoreContext): ActiveModelState {
  const id = activeId(ctx);
  if (id !== null) {
    const r = ctx.db.prepare(`SELECT * FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
    if (r && fs.existsSync(path.join(absDir(ctx, r.dir), MODEL_FILES.tfjs))) {
      const model: ActiveModel = { id: r.id, name: r.name, dir: absDir(ctx, r.dir), classes: r.classes, inputSize: r.input_size };
      return { model, reason: null };
    }
  }
  const dir = defaultModelDir();
  if (!dir) return { model: null, reason: NO_MODEL_REASON };
  let meta: ModelMetadataRead;
  try {
    meta = readModelMetadataFile(dir);
  } catch (e) {
    return { model: null, reason: `No usable model: the bundled default cannot be read (${(e as Error).message})` };
  }
  return { model: { id: null, name: meta.name ?? 'default', dir, classes: meta.classes, inputSize: meta.inputSize }, reason: null };
}
