import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlyphError } from '../../common/errors';
import type {
  ActiveModel,
  DatasetSnapshot,
  ModelDetail,
  ModelMetrics,
  ModelSummary,
} from '../../common/contract/training';
import type { CoreContext } from '../context';
import { METADATA_FILE, readMetadataFile } from './metadata';

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

/** The bundled model (resources/models/default), found from the bundle, the sources or Electron's resources. */
export function defaultModelDir(): string | null {
  const rel = path.join('resources', 'models', 'default');
  const candidates: string[] = [];
  if (process.env.GLYPHLAB_DEFAULT_MODEL) candidates.push(process.env.GLYPHLAB_DEFAULT_MODEL);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'models', 'default'), path.join(resourcesPath, rel));
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; ) {
    candidates.push(path.join(dir, rel));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return candidates.find((c) => fs.existsSync(path.join(c, METADATA_FILE))) ?? null;
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
    accuracy: metrics?.test?.accuracy ?? metrics?.validation?.accuracy ?? null,
    active: row.id === active,
  };
}

function row(ctx: CoreContext, id: number): ModelRow {
  const r = ctx.db.prepare(`SELECT * FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
  if (!r) throw new GlyphError('not_found', `No model ${id}`);
  return r;
}

export function listModels(ctx: CoreContext): ModelSummary[] {
  const active = activeId(ctx);
  return (ctx.db.prepare(`SELECT * FROM models ORDER BY created_at DESC, id DESC`).all() as ModelRow[]).map((r) => summary(ctx, r, active));
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
    fs.rmSync(target, { recursive: true, force: true });
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

function checkModelFolder(dir: string): ReturnType<typeof readMetadataFile> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new GlyphError('not_found', `${dir}: no such folder`);
  for (const f of ['model.json', METADATA_FILE]) {
    if (!fs.existsSync(path.join(dir, f))) throw new GlyphError('bad_input', `${dir}: not a glyphlab model folder (${f} is missing)`);
  }
  let meta: ReturnType<typeof readMetadataFile>;
  try {
    meta = readMetadataFile(dir);
  } catch (e) {
    throw new GlyphError('bad_input', `${path.join(dir, METADATA_FILE)}: ${(e as Error).message}`);
  }
  if (typeof meta.classes !== 'string' || [...meta.classes].length < 2 || new Set(meta.classes).size !== [...meta.classes].length) {
    throw new GlyphError('bad_input', `${path.join(dir, METADATA_FILE)}: 'classes' must be a string of at least 2 distinct characters`);
  }
  if (!Number.isInteger(meta.inputSize) || meta.inputSize < 8 || meta.inputSize > 128) {
    throw new GlyphError('bad_input', `${path.join(dir, METADATA_FILE)}: 'inputSize' must be an integer 8..128`);
  }
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

export function setActiveModel(ctx: CoreContext, id: number | null): ActiveModel {
  if (id === null) ctx.db.prepare(`DELETE FROM meta WHERE key = ?`).run(ACTIVE_KEY);
  else {
    const r = row(ctx, id);
    checkModelFolder(absDir(ctx, r.dir));
    ctx.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(ACTIVE_KEY, String(id));
  }
  return activeModel(ctx);
}

/** The model OCR and predictions use: the chosen one if its folder is there, else the bundled default. */
export function activeModel(ctx: CoreContext): ActiveModel {
  const id = activeId(ctx);
  if (id !== null) {
    const r = ctx.db.prepare(`SELECT * FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
    if (r && fs.existsSync(path.join(absDir(ctx, r.dir), 'model.json'))) {
      return { id: r.id, name: r.name, dir: absDir(ctx, r.dir), classes: r.classes, inputSize: r.input_size };
    }
  }
  const dir = defaultModelDir();
  if (!dir) throw new GlyphError('not_found', 'No model: none is active and the bundled default model (resources/models/default) is missing');
  const meta = readMetadataFile(dir);
  return { id: null, name: meta.name ?? 'default', dir, classes: meta.classes, inputSize: meta.inputSize };
}
