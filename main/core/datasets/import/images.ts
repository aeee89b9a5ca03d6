import fs from 'node:fs';
import { detectPolarity, normalizeGlyph, toCanonical } from '../../imaging/glyph';
import { TILE } from '../store';
import { type ImportEnv, labelProblem, throwIfAborted } from './env';
import { truncationReason } from '../../imaging/truncated';
import { decodeBmp, isBmp } from '../../imaging/bmp';
import { nativeCall } from '../../native-calls';

/** Image files we accept: what sharp reads, and BMP (main/core/imaging/bmp.ts). */
export const IMAGE_EXT_RE = /\.(png|jpe?g|webp|tiff?|bmp|gif|avif)$/i;

/** Refuse decompression bombs: no character image needs more than 40 megapixels. */
export const LIMIT_INPUT_PIXELS = 40_000_000;
/** And no file over 64 MB. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const CONCURRENCY = 4;

export interface ImageItem {
  file: string;
  label: string | null;
}

/**
 * Decodes any image sharp reads into a canonical TILE×TILE tile: grayscale (transparency flattened on white),
 * polarity made white-on-black (detected from the border), then `normalizeGlyph` unless it is already a
 * TILE×TILE tile (then kept pixel for pixel, so exports re-import unchanged).
 */
export async function decodeToTile(buf: Buffer): Promise<{ px: Uint8Array; width: number; height: number }> {
  // Loaded on first use: commands that never decode an image start faster.
  const sharp = (await import('sharp')).default;
  const bmp = isBmp(buf) ? decodeBmp(buf, LIMIT_INPUT_PIXELS) : null;
  const input = bmp
    ? sharp(Buffer.from(bmp.data.buffer, bmp.data.byteOffset, bmp.data.length), { raw: { width: bmp.width, height: bmp.height, channels: 1 } })
    : sharp(buf, { limitInputPixels: LIMIT_INPUT_PIXELS, failOn: 'error' });
  const { data, info } = await nativeCall(() => input.flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true }));
  const w = info.width;
  const h = info.height;
  let px: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, w * h);
  if (info.channels !== 1) {
    px = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) px[i] = data[i * info.channels]!;
  }
  const canon = toCanonical(px, w, h, detectPolarity(px, w, h));
  if (w === TILE && h === TILE) return { px: canon, width: w, height: h };
  return { px: normalizeGlyph(canon, w, h, TILE), width: TILE, height: TILE };
}

function explain(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  if (/pixel limit/i.test(m)) return `image too large (over ${LIMIT_INPUT_PIXELS / 1e6} megapixels): ${m}`;
  if (/unsupported image format/i.test(m)) return 'not an image (unsupported or unrecognised format)';
  if (/premature end|truncat|corrupt|unexpected end|read error|damaged|bad seek|not enough data/i.test(m)) return `truncated or corrupt image: ${m}`;
  return `cannot decode image: ${m}`;
}

type Decoded = { px: Uint8Array; width: number; height: number } | null;

async function decodeItem(env: ImportEnv, item: ImageItem): Promise<Decoded> {
  const name = env.display(item.file);
  try {
    if (item.label !== null) {
      const problem = labelProblem(env.classes, item.label, true);
      if (problem) return fail(env, name, problem);
    }
    const st = fs.statSync(item.file);
    if (st.size === 0) return fail(env, name, 'empty file (0 bytes)');
    if (st.size > MAX_IMAGE_BYTES) return fail(env, name, `file too large (${st.size} bytes; at most ${MAX_IMAGE_BYTES})`);
    const bytes = fs.readFileSync(item.file);
    try {
      return await decodeToTile(bytes);
    } catch (e) {
      const cut = truncationReason(bytes);
      return fail(env, name, cut ? `truncated or corrupt image: ${cut}` : explain(e));
    }
  } catch (e) {
    return fail(env, name, explain(e));
  }
}

function fail(env: ImportEnv, name: string, reason: string): null {
  env.errors.add(name, reason);
  return null;
}

/** Decodes a few images at a time (sharp works off the main thread) and stores them in the given order. */
export async function importImages(env: ImportEnv, items: ImageItem[]): Promise<void> {
  env.addTotal(items.length);
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    await env.writer.ready?.();
    throwIfAborted(env.signal);
    const group = items.slice(i, i + CONCURRENCY);
    const tiles = await Promise.all(group.map((it) => decodeItem(env, it)));
    tiles.forEach((tile, k) => {
      const it = group[k]!;
      if (tile) env.writer.add({ ...tile, label: it.label, source: env.display(it.file) });
      env.tick();
    });
  }
}
