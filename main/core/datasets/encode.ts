import { encodeGrayPng } from '../imaging/png';
import { sampleHash } from './hash';

/**
 * The per-sample CPU work of an import apart from SQLite: the content hash and the PNG of each canonical
 * image. Pure, so it runs the same on the main thread or in the import worker (encode.worker.ts).
 */
export interface Pixels {
  px: Uint8Array;
  width: number;
  height: number;
}

export interface Encoded {
  /** sha256 hex of each sample (see sampleHash). */
  hashes: string[];
  /** The PNG of each sample. */
  pngs: Uint8Array[];
}

export function encodeSamples(items: readonly Pixels[]): Encoded {
  const hashes: string[] = [];
  const pngs: Uint8Array[] = [];
  for (const s of items) {
    hashes.push(sampleHash(s.px, s.width, s.height));
    pngs.push(encodeGrayPng(s.px, s.width, s.height));
  }
  return { hashes, pngs };
}

/** A batch as one transferable buffer: pixels back to back, then (width, height) pairs. */
export interface PackedPixels {
  data: ArrayBuffer;
  dims: Uint32Array;
}

export function packPixels(items: readonly Pixels[]): PackedPixels {
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    if (s.px.length !== s.width * s.height) throw new RangeError(`sample ${i}: ${s.px.length} bytes for ${s.width}x${s.height}`);
    total += s.px.length;
  }
  const data = Buffer.allocUnsafeSlow(total); // every byte is written below
  const dims = new Uint32Array(items.length * 2);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    data.set(s.px, at);
    at += s.px.length;
    dims[2 * i] = s.width;
    dims[2 * i + 1] = s.height;
  }
  return { data: data.buffer as ArrayBuffer, dims };
}

export function unpackPixels(p: PackedPixels): Pixels[] {
  const data = new Uint8Array(p.data);
  const out: Pixels[] = [];
  let at = 0;
  for (let i = 0; i < p.dims.length; i += 2) {
    const width = p.dims[i]!;
    const height = p.dims[i + 1]!;
    out.push({ px: data.subarray(at, at + width * height), width, height });
    at += width * height;
  }
  return out;
}

/** Encoded results as transferable buffers: hashes as one string (64 hex digits each), PNGs back to back. */
export interface PackedEncoded {
  hashes: string;
  pngs: ArrayBuffer;
  /** End offset of each PNG in `pngs`. */
  ends: Uint32Array;
}

export function packEncoded(e: Encoded): PackedEncoded {
  let total = 0;
  for (const p of e.pngs) total += p.length;
  const pngs = new Uint8Array(total);
  const ends = new Uint32Array(e.pngs.length);
  let at = 0;
  e.pngs.forEach((p, i) => {
    pngs.set(p, at);
    at += p.length;
    ends[i] = at;
  });
  return { hashes: e.hashes.join(''), pngs: pngs.buffer, ends };
}

export function unpackEncoded(p: PackedEncoded): Encoded {
  const hashes: string[] = [];
  const pngs: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < p.ends.length; i++) {
    hashes.push(p.hashes.slice(64 * i, 64 * (i + 1)));
    pngs.push(Buffer.from(p.pngs, start, p.ends[i]! - start));
    start = p.ends[i]!;
  }
  return { hashes, pngs };
}
