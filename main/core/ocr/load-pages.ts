import fs from 'node:fs';
import sharp, { type Metadata } from 'sharp';
import { nativeCall } from '../native-calls';
import { GlyphError } from '../../common/errors';
import { type ReadAt, tiffPageSizes } from '../imaging/tiff-pages';
import { truncationReason } from '../imaging/truncated';
import type { Page } from './types';

/** Larger inputs are refused before decoding (a "pixel bomb" is a tiny file that inflates to gigapixels). */
export const DEFAULT_MAX_PIXELS = 80_000_000;
/**
 * All pages of one document together (about 34 A4 pages at 300 dpi): checked from the metadata before
 * any page is decoded, so a small multi-page TIFF cannot ask for gigabytes (`loadPages` holds them all).
 */
export const DEFAULT_MAX_DOCUMENT_PIXELS = 300_000_000;
/** Files larger than this are refused before they are opened by the decoder. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const MAX_PAGES = 500;

export interface LoadPagesOptions {
  /** Refuse images with more pixels than this (per page). */
  maxPixels?: number;
  /** Refuse documents whose pages hold more pixels than this together. */
  maxDocumentPixels?: number;
  /** Stretch the grey levels so the darkest ink is 0 and the lightest paper 255. */
  normalize?: boolean;
}

/**
 * Decodes an image file (PNG, JPEG, WebP, TIFF; a multi-page TIFF gives one page each) into
 * grayscale pages, applying the EXIF orientation. `name` is used in error messages and as the
 * pages' source (defaults to the path). Holds every page: `eachPage` gives them one at a time.
 */
export async function loadPages(input: string | Buffer, name?: string, opts: LoadPagesOptions = {}): Promise<Page[]> {
  const out: Page[] = [];
  for await (const page of eachPage(input, name, opts)) out.push(page);
  return out;
}

/**
 * The pages of a document one at a time, each decoded when it is asked for (see openPages).
 */
export async function* eachPage(input: string | Buffer, name?: string, opts: LoadPagesOptions = {}): AsyncGenerator<Page, void, undefined> {
  yield* (await openPages(input, name, opts)).pages;
}

/**
 * Opens a document: everything is checked before any page is decoded (a path must be a regular file,
 * not a device or a FIFO, of at most MAX_FILE_BYTES; each page within `maxPixels` and all pages together
 * within `maxDocumentPixels`, from the metadata). Gives the page count, and the pages one at a time.
 */
export async function openPages(input: string | Buffer, name?: string, opts: LoadPagesOptions = {}): Promise<{ count: number; pages: AsyncGenerator<Page, void, undefined> }> {
  const source = name ?? (typeof input === 'string' ? input : 'upload');
  const label = source;
  const limit = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof input === 'string') checkFile(input, label);
  let meta: Metadata;
  try {
    meta = await nativeCall(() => sharp(input, { limitInputPixels: limit }).metadata());
  } catch (e) {
    throw badImage(label, e, input);
  }
  const sizes = pageSizes(input, meta);
  for (const [i, { width: w, height: h }] of sizes.entries()) {
    if (w * h > limit) {
      const which = sizes.length > 1 ? ` (page ${i + 1})` : '';
      throw new GlyphError('bad_input', `${label}${which}: image is too large (${w}x${h} = ${fmt(w * h)} pixels; limit ${fmt(limit)})`, { file: source, width: w, height: h });
    }
  }
  const total = sizes.reduce((a, s) => a + s.width * s.height, 0);
  const budget = opts.maxDocumentPixels ?? DEFAULT_MAX_DOCUMENT_PIXELS;
  if (total > budget) {
    throw new GlyphError('bad_input', `${label}: ${sizes.length} pages of ${fmt(total)} pixels together are too many (limit ${fmt(budget)} per document)`, { file: source, pages: sizes.length, pixels: total });
  }
  async function* pages(): AsyncGenerator<Page, void, undefined> {
    for (let i = 0; i < sizes.length; i++) {
      let page: Page;
      try {
        const img = sharp(input, { limitInputPixels: limit, page: i, pages: 1 }).rotate().grayscale();
        const { data, info } = await nativeCall(() => img.raw().toBuffer({ resolveWithObject: true }));
        const gray = info.channels === 1 ? new Uint8Array(data.buffer, data.byteOffset, data.length) : firstChannel(data, info.channels);
        if (opts.normalize !== false) stretchContrast(gray);
        page = { data: gray, width: info.width, height: info.height, source, index: i };
      } catch (e) {
        throw badImage(sizes.length > 1 ? `${label} (page ${i + 1})` : label, e, input);
      }
      yield page;
    }
  }
  return { count: sizes.length, pages: pages() };
}

function fmt(n: number): string {
  return n.toLocaleString('en');
}

/** Refuses what is not a regular file of a bounded size, before anything opens it (a FIFO would block, /dev/zero never ends). */
function checkFile(file: string, label: string): void {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) throw new GlyphError('not_found', `${label}: no such file`, { file: label });
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device';
    throw new GlyphError('bad_input', `${label}: not a regular file (${what}); only image files can be read`, { file: label });
  }
  if (st.size === 0) throw new GlyphError('bad_input', `${label}: empty file`, { file: label });
  if (st.size > MAX_FILE_BYTES) throw new GlyphError('bad_input', `${label}: file too large (${fmt(st.size)} bytes; limit ${fmt(MAX_FILE_BYTES)})`, { file: label });
}

/** Each page's size: a TIFF's from its directory chain, other formats' from sharp (their pages share one size). */
function pageSizes(input: string | Buffer, meta: Metadata): { width: number; height: number }[] {
  const count = Math.min(meta.pages ?? 1, MAX_PAGES);
  if (meta.format === 'tiff') {
    const tiff = withReader(input, (read, size) => tiffPageSizes(read, size, MAX_PAGES));
    if (tiff && tiff.pages.length > 0) return tiff.pages.slice(0, count);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  return Array.from({ length: count }, () => ({ width, height }));
}

function withReader<T>(input: string | Buffer, use: (read: ReadAt, size: number) => T): T {
  if (typeof input !== 'string') return use((at, n) => input.subarray(at, at + n), input.length);
  const fd = fs.openSync(input, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    return use((at, n) => {
      const b = Buffer.alloc(Math.max(0, Math.min(n, size - at)));
      fs.readSync(fd, b, 0, b.length, at);
      return b;
    }, size);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Contrast stretch in place, as sharp's `normalise()` does (1st percentile → 0, 99th → 255) but
 * several times faster on a page (one histogram, one lookup table).
 */
export function stretchContrast(gray: Uint8Array, lowPct = 1, highPct = 99): void {
  const hist = new Uint32Array(256);
  for (let i = 0; i < gray.length; i++) hist[gray[i]!]!++;
  const lowN = (gray.length * lowPct) / 100;
  const highN = (gray.length * highPct) / 100;
  let lo = 0;
  let hi = 255;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc > lowN) {
      lo = v;
      break;
    }
  }
  acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= highN) {
      hi = v;
      break;
    }
  }
  if (hi <= lo) return;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  for (let i = 0; i < gray.length; i++) gray[i] = lut[gray[i]!]!;
}

function firstChannel(data: Buffer, channels: number): Uint8Array {
  const n = data.length / channels;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i * channels] ?? 0;
  return out;
}

function badImage(label: string, e: unknown, input: string | Buffer): GlyphError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/pixel limit/i.test(msg)) return new GlyphError('bad_input', `${label}: image is too large (exceeds the pixel limit)`, { file: label });
  const bytes = typeof input === 'string' ? readEnds(input) : input;
  if (bytes === null) return new GlyphError('not_found', `${label}: no such file`, { file: label });
  const cut = truncationReason(bytes);
  if (cut) return new GlyphError('bad_input', `${label}: truncated or corrupt image: ${cut}`, { file: label });
  if (/unsupported image format|Input buffer contains unsupported/i.test(msg)) {
    return new GlyphError('bad_input', `${label}: not an image this reader supports (PNG, JPEG, WebP, TIFF)`, { file: label });
  }
  return new GlyphError('bad_input', `${label}: cannot decode image (${msg.split('\n')[0]})`, { file: label });
}

/** The first and last bytes of a file (what truncationReason looks at), never the whole of a large one. */
function readEnds(file: string): Buffer | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const part = (at: number, n: number) => {
        const b = Buffer.alloc(n);
        return b.subarray(0, fs.readSync(fd, b, 0, n, at));
      };
      return size <= 4096 ? part(0, size) : Buffer.concat([part(0, 16), part(size - 256, 256)]);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}
