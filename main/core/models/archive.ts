/**
 * A model as one file: a zip of its folder (model.json, weights.bin, model.onnx, metadata.json), what the
 * browser downloads and uploads and the CLI's `model export|import` write and read, so a model moves
 * between machines as one file. The registry's own export and import do the copying and the checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ModelSummary } from '../../common/contract/models';
import { GlyphError } from '../../common/errors';
import type { CoreContext } from '../context';
import { exportModel, getModel, importModel, slugify } from './registry';
import { readZip, writeZip, type ZipLimits } from './zip';

export const ARCHIVE_SUFFIX = '.glyphlab-model.zip';

/** At most a few files, 200 MB each, 256 MB in all (the bundled model is 2.5 MB). */
export const ARCHIVE_LIMITS: ZipLimits = { maxEntries: 16, maxEntryBytes: 200 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

/** What a model folder holds: the tfjs topology, its weights files, the ONNX export and the metadata. */
const MODEL_FILE = /^(model\.json|metadata\.json|model\.onnx|[A-Za-z0-9._-]{1,100}\.bin)$/;
const ORDER = ['model.json', 'metadata.json'];

function scratch(ctx: Pick<CoreContext, 'dataDir'>, kind: string): string {
  return path.join(ctx.dataDir, 'tmp', `${kind}-${randomUUID()}`);
}

/** The model as a zip archive, with the file name to give it ("<name>.glyphlab-model.zip"). */
export function modelArchive(ctx: CoreContext, id: number): { name: string; data: Buffer } {
  const model = getModel(ctx, id);
  const dir = scratch(ctx, 'model-export');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    exportModel(ctx, id, dir);
    const names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && MODEL_FILE.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => (ORDER.indexOf(a) + 1 || 9) - (ORDER.indexOf(b) + 1 || 9) || a.localeCompare(b));
    const data = writeZip(names.map((name) => ({ name, data: name === 'metadata.json' ? named(dir, model.name) : fs.readFileSync(path.join(dir, name)) })));
    return { name: `${slugify(model.name)}${ARCHIVE_SUFFIX}`, data };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the model in an archive (`file` names it in errors); `name` overrides the one in its metadata. */
export function importModelArchive(ctx: CoreContext, data: Buffer, file: string, name?: string): ModelSummary {
  const entries = readZip(data, file, ARCHIVE_LIMITS);
  for (const e of entries) {
    if (!MODEL_FILE.test(e.name)) {
      throw new GlyphError('bad_input', `${file}: ${e.name} is not a model file (expected model.json, weights .bin, model.onnx, metadata.json)`);
    }
  }
  for (const needed of ['model.json', 'metadata.json']) {
    if (!entries.some((e) => e.name === needed)) throw new GlyphError('bad_input', `${file}: not a glyphlab model archive (${needed} is missing)`);
  }
  const dir = scratch(ctx, 'model-import');
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const e of entries) fs.writeFileSync(path.join(dir, e.name), e.data, { flag: 'wx' });
    const fallback = path.basename(file).replace(/\.glyphlab-model\.zip$|\.zip$/i, '');
    return importModel(ctx, dir, name ?? (readName(dir) || fallback || undefined));
  } catch (e) {
    if (e instanceof GlyphError && e.message.startsWith(dir)) throw new GlyphError(e.type, `${file}${e.message.slice(dir.length)}`);
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** metadata.json with the model's name as registered (a model renamed here keeps its name on the other machine). */
function named(dir: string, name: string): Buffer {
  const raw = fs.readFileSync(path.join(dir, 'metadata.json'));
  try {
    const meta = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    return Buffer.from(`${JSON.stringify({ ...meta, name }, null, 2)}\n`);
  } catch {
    return raw; // the registry checked it; keep it as it is
  }
}

/** The name in the archive's metadata.json, if it has one (importModel reads the rest). */
function readName(dir: string): string | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { name?: unknown };
    return typeof meta.name === 'string' && meta.name.trim() ? meta.name.trim().slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
