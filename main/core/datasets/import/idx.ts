import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { resizeArea, transpose } from '../../imaging/glyph';
import { TILE } from '../store';
import { type ImportEnv, labelProblem, pause } from './env';
import { type NumericLabels, numericLabel, readMapping } from './mapping';
import { MAX_IDX_BYTES, parseIdxHeader } from './idx-header';
import { IdxStreamError, type IdxStream, openIdxStream } from './idx-stream';

export { MAX_IDX_BYTES };

/**
 * MNIST/EMNIST IDX files (big-endian): magic 0x00000803 + count, rows, cols for images (uint8), magic
 * 0x00000801 + count for labels. Gzipped files are read whole (EMNIST train: 137 MB unpacked).
 */
export const IDX_IMAGES_RE = /images[-.]idx3-ubyte(\.gz)?$/i;
export const IDX_LABELS_RE = /labels[-.]idx1-ubyte(\.gz)?$/i;

export interface IdxData {
  dims: number[];
  data: Buffer;
  /** Items whose bytes are all there. */
  complete: number;
}

/** Reads an IDX file of unsigned bytes with `ndims` dimensions; throws with a readable reason. */
const gunzip = promisify(zlib.gunzip) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;

/**
 * Reads an IDX file of unsigned bytes with `ndims` dimensions; throws with a readable reason. A gzipped file
 * is checked before it is unpacked: its header (from the first compressed bytes) must be valid, and it is
 * never unpacked beyond the size the header announces (a gzip bomb stops there).
 */
export async function readIdx(file: string, ndims: number): Promise<IdxData> {
  let buf: Buffer = await fs.promises.readFile(file);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    let head: Buffer;
    try {
      head = zlib.gunzipSync(buf.subarray(0, 1024), sync);
    } catch (e) {
      throw new Error(`not a valid gzip file (${(e as Error).message})`);
    }
    const { expected } = parseIdxHeader(head, ndims);
    try {
      // Sync flush: a cut-short gzip still yields what it holds; the count check below reports it.
      // Unpacked on the thread pool: the event loop (UI, progress, cancel) stays free meanwhile.
      buf = await gunzip(buf, { ...sync, maxOutputLength: expected });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`unpacks to more than the ${expected} bytes its header announces`);
      throw new Error(`not a valid gzip file (${(e as Error).message})`);
    }
  }
  const { dims, itemSize } = parseIdxHeader(buf, ndims);
  const data = buf.subarray(4 + 4 * ndims);
  const complete = Math.min(dims[0]!, Math.floor(data.length / itemSize));
  return { dims, data, complete };
}

/** The labels file next to an images file (`train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte[.gz]`). */
export function findLabelsFile(imagesFile: string): string | null {
  const base = imagesFile.replace(/\.gz$/i, '');
  const candidate = base.replace(/images([-.])idx3/i, 'labels$1idx1');
  for (const f of [candidate, `${candidate}.gz`]) if (f !== base && fs.existsSync(f)) return f;
  return null;
}

/**
 * Imports one IDX images file with its labels file (if any) and mapping.txt next to it (if any). The images
 * are streamed (idx-stream.ts): items are stored while the rest is still being unpacked.
 */
export async function importIdx(env: ImportEnv, imagesFile: string): Promise<void> {
  const name = env.display(imagesFile);
  let images: IdxStream;
  try {
    images = await openIdxStream(imagesFile, 3);
  } catch (e) {
    env.errors.add(name, `IDX images: ${(e as Error).message}`);
    return;
  }
  try {
    await importItems(env, imagesFile, images);
  } finally {
    images.close();
  }
}

async function importItems(env: ImportEnv, imagesFile: string, images: IdxStream): Promise<void> {
  const name = env.display(imagesFile);
  const [count, rows, cols] = images.dims as [number, number, number];
  env.addTotal(count);
  const labelsFile = findLabelsFile(imagesFile);
  let labels: IdxData | null = null;
  let rule: NumericLabels = { kind: 'index' };
  const skipPair = (file: string, reason: string) => {
    env.errors.add(file, reason);
    env.tick(count);
  };
  if (labelsFile) {
    try {
      labels = await readIdx(labelsFile, 1);
    } catch (e) {
      return skipPair(env.display(labelsFile), `IDX labels: ${(e as Error).message}`);
    }
    if (labels.dims[0] !== count) {
      return skipPair(name, `the images file holds ${count} images but ${env.display(labelsFile)} holds ${labels.dims[0]} labels; pair skipped`);
    }
    try {
      const map = readMapping(path.join(path.dirname(imagesFile), 'mapping.txt'));
      if (map) rule = { kind: 'mapping', map };
    } catch (e) {
      return skipPair(env.display(path.join(path.dirname(imagesFile), 'mapping.txt')), (e as Error).message);
    }
  }
  let usable = count;
  if (labels && labels.complete < count) {
    env.errors.add(env.display(labelsFile!), `cut short: holds ${labels.complete} of ${count} labels; images without a label are skipped`);
    usable = Math.min(usable, labels.complete);
  }
  const size = rows * cols;
  let i = 0;
  let failure: string | null = null;
  try {
    for await (const chunk of images.chunks()) {
      for (let at = 0; at < chunk.length && i < usable; at += size, i++) {
        if ((i & 1023) === 0 && i > 0) await pause(env);
        addItem(env, chunk.subarray(at, at + size), i, cols, rows, labels, rule, name);
      }
      if (i >= usable) break;
    }
  } catch (e) {
    if (!(e instanceof IdxStreamError)) throw e;
    failure = e.message;
  }
  const complete = images.complete;
  if (failure) env.errors.add(name, `IDX images: ${failure}`);
  else if (complete < count) env.errors.add(name, `cut short: holds ${complete} of ${count} images; the complete ones are imported`);
  env.tick(count - i);
}

function addItem(
  env: ImportEnv,
  item: Uint8Array,
  i: number,
  cols: number,
  rows: number,
  labels: IdxData | null,
  rule: NumericLabels,
  name: string,
): void {
  let px: Uint8Array = item;
  let w = cols;
  let h = rows;
  if (env.transposed) {
    px = transpose(px, cols, rows);
    w = rows;
    h = cols;
  }
  let label: string | null = null;
  if (labels) {
    const n = labels.data[i]!;
    label = numericLabel(rule, env.classes, n);
    const problem = label === null ? `label ${n} has no class (${rule.kind === 'mapping' ? 'not in mapping.txt' : 'beyond the class set'})` : labelProblem(env.classes, label);
    if (problem) {
      env.errors.add(`${name}#${i}`, problem);
      env.tick();
      return;
    }
  }
  if (w !== TILE || h !== TILE) {
    const f = resizeArea(px, w, h, TILE, TILE);
    px = Uint8Array.from(f, (v) => Math.round(v));
    w = h = TILE;
  }
  // The chunk's bytes are not reused by the stream: a view is enough (no copy per item).
  env.writer.add({ px, width: w, height: h, label, source: `${name}#${i}` });
  env.tick();
}
