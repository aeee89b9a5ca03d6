import zlib from 'node:zlib';
import { zlibFast } from './deflate-fast';

/**
 * A tiny PNG codec for 8-bit grayscale images, for the hot paths (IDX/CSV import, export, training
 * reads) where sharp's per-call overhead dominates.
 * The encoder writes filter 0 rows, one IDAT; the decoder reads any non-interlaced 8-bit grayscale PNG
 * (all five row filters). Anything else (colour, 16-bit, interlaced) throws: decode those with sharp.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let rawScratch = new Uint8Array(4096);

/**
 * Grayscale PNG, filter 0. Small images (≤ 64 K pixels) use `zlibFast` (see deflate-fast.ts) unless a zlib
 * `level` is given; larger ones zlib's deflate. Written into one buffer (no per-chunk copies).
 */
export function encodeGrayPng(px: Uint8Array, width: number, height: number, level?: number): Buffer {
  if (px.length !== width * height) throw new RangeError(`encodeGrayPng: ${px.length} bytes for ${width}x${height}`);
  const stride = width + 1;
  if (rawScratch.length < stride * height) rawScratch = new Uint8Array(stride * height);
  const raw = rawScratch.subarray(0, stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0;
    raw.set(px.subarray(y * width, (y + 1) * width), y * stride + 1);
  }
  const z = level === undefined && raw.length <= 65536 ? zlibFast(raw, stride) : zlib.deflateSync(raw, { level: level ?? 6 });
  const out = Buffer.allocUnsafe(8 + 25 + 12 + z.length + 12);
  out.set(SIGNATURE, 0);
  let pos = 8;
  const chunk = (type: number, len: number, fill: (at: number) => void) => {
    out.writeUInt32BE(len, pos);
    out.writeUInt32BE(type, pos + 4);
    fill(pos + 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(pos + 4, pos + 8 + len)), pos + 8 + len);
    pos += 12 + len;
  };
  chunk(0x49484452 /* IHDR */, 13, (at) => {
    out.writeUInt32BE(width, at);
    out.writeUInt32BE(height, at + 4);
    out[at + 8] = 8; // bit depth
    out[at + 9] = 0; // grayscale
    out[at + 10] = 0; // deflate
    out[at + 11] = 0; // adaptive filtering (we use filter 0)
    out[at + 12] = 0; // no interlace
  });
  chunk(0x49444154 /* IDAT */, z.length, (at) => out.set(z, at));
  chunk(0x49454e44 /* IEND */, 0, () => undefined);
  return out;
}

export interface GrayImage {
  px: Uint8Array;
  width: number;
  height: number;
}

/** What a decode may produce: larger images are refused from the header, before anything is inflated. */
export const MAX_PNG_PIXELS = 80_000_000;

export interface DecodeLimits {
  /** Refuse an image whose header announces more pixels than this (default MAX_PNG_PIXELS). */
  maxPixels?: number;
}

/**
 * Decodes an 8-bit grayscale non-interlaced PNG; throws (RangeError) on anything else. Bounded: the size in
 * the header is checked against `maxPixels` first, and the data is inflated to at most what that size
 * needs (a "PNG bomb" claiming more than it holds, or holding more than it claims, is refused).
 */
export function decodeGrayPng(buf: Uint8Array, limits: DecodeLimits = {}): GrayImage {
  const maxPixels = limits.maxPixels ?? MAX_PNG_PIXELS;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8 || !b.subarray(0, 8).equals(SIGNATURE)) throw new RangeError('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos + 8 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new RangeError('PNG cut short');
    if (type === 'IHDR') {
      if (len !== 13) throw new RangeError('PNG header of the wrong length');
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) throw new RangeError('not an 8-bit grayscale non-interlaced PNG');
      if (width * height > maxPixels) {
        throw new RangeError(`PNG of ${width}x${height} is too large (${(width * height).toLocaleString('en')} pixels; limit ${maxPixels.toLocaleString('en')})`);
      }
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height) throw new RangeError('PNG without IHDR');
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat), { maxOutputLength: (width + 1) * height });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new RangeError(`PNG data larger than its ${width}x${height} header says`);
    throw new RangeError(`PNG data corrupt (${(e as Error).message})`);
  }
  const stride = width + 1;
  if (raw.length < stride * height) throw new RangeError('PNG data cut short');
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * stride]!;
    const src = y * stride + 1;
    const dst = y * width;
    for (let x = 0; x < width; x++) {
      const v = raw[src + x]!;
      const a = x > 0 ? px[dst + x - 1]! : 0;
      const up = y > 0 ? px[dst - width + x]! : 0;
      const c = x > 0 && y > 0 ? px[dst - width + x - 1]! : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = up;
      else if (f === 3) pred = (a + up) >> 1;
      else if (f === 4) {
        const p = a + up - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      } else if (f !== 0) throw new RangeError(`PNG: bad filter ${f}`);
      px[dst + x] = (v + pred) & 0xff;
    }
  }
  return { px, width, height };
}
