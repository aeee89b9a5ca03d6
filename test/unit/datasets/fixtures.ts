import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { Core } from '../../../main/core';
import type { ImportSummary } from '../../../main/common/contract/dataset';

/** A deterministic 28×28 canonical tile, different for every seed (a bar plus a seeded pattern). */
export function tile(seed: number, size = 28): Uint8Array {
  const px = new Uint8Array(size * size);
  let s = (seed * 2654435761 + 12345) >>> 0;
  for (let y = 6; y < size - 6; y++)
    for (let x = 8; x < size - 8; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      if (s >>> 30 === 0) px[y * size + x] = 128 + (s & 127);
    }
  for (let y = 4; y < size - 4; y++) px[y * size + 13] = 255;
  return px;
}

/** Writes an IDX images file (+ labels file when labels are given); gzip when asked. Returns the paths. */
export function writeIdx(
  dir: string,
  prefix: string,
  images: Uint8Array[],
  labels: number[] | null,
  opts: { gz?: boolean; rows?: number; cols?: number; imageCount?: number; labelCount?: number; magic?: number; cutImageBytes?: number } = {},
): { images: string; labels: string | null } {
  const rows = opts.rows ?? 28;
  const cols = opts.cols ?? 28;
  const head = Buffer.alloc(16);
  head.writeUInt32BE(opts.magic ?? 0x803, 0);
  head.writeUInt32BE(opts.imageCount ?? images.length, 4);
  head.writeUInt32BE(rows, 8);
  head.writeUInt32BE(cols, 12);
  let img = Buffer.concat([head, ...images.map((i) => Buffer.from(i))]);
  if (opts.cutImageBytes) img = img.subarray(0, img.length - opts.cutImageBytes);
  const ext = opts.gz ? '.gz' : '';
  fs.mkdirSync(dir, { recursive: true });
  const imagesFile = path.join(dir, `${prefix}-images-idx3-ubyte${ext}`);
  fs.writeFileSync(imagesFile, opts.gz ? zlib.gzipSync(img) : img);
  let labelsFile: string | null = null;
  if (labels) {
    const lh = Buffer.alloc(8);
    lh.writeUInt32BE(0x801, 0);
    lh.writeUInt32BE(opts.labelCount ?? labels.length, 4);
    const lb = Buffer.concat([lh, Buffer.from(labels)]);
    labelsFile = path.join(dir, `${prefix}-labels-idx1-ubyte${ext}`);
    fs.writeFileSync(labelsFile, opts.gz ? zlib.gzipSync(lb) : lb);
  }
  return { images: imagesFile, labels: labelsFile };
}

/** A CSV of label + pixels rows. */
export function writeCsv(file: string, rows: { label: string | number; px: Uint8Array | number[] | string[] }[], header?: string): string {
  const lines = rows.map((r) => `${r.label},${Array.from(r.px as ArrayLike<unknown>).join(',')}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${header ? `${header}\n` : ''}${lines.join('\n')}\n`);
  return file;
}

export function csvHeader(first: string, n = 784): string {
  return `${first},${Array.from({ length: n }, (_, i) => `pixel${i}`).join(',')}`;
}

/** A black-on-white image of a dark rectangle (like a scanned character) in the given format. */
export async function inkImage(
  file: string,
  opts: { width?: number; height?: number; seed?: number; format?: 'png' | 'jpeg' | 'webp' | 'tiff' } = {},
): Promise<string> {
  const w = opts.width ?? 60;
  const h = opts.height ?? 80;
  const px = Buffer.alloc(w * h, 255);
  const seed = opts.seed ?? 0;
  const x0 = 10 + (seed % 7);
  const bw = 8 + (seed % 11);
  for (let y = 12; y < h - 12; y++) for (let x = x0; x < Math.min(w - 2, x0 + bw); x++) px[y * w + x] = 0;
  for (let x = 5; x < w - 5; x++) px[(20 + (seed % 9)) * w + x] = 0;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp(px, { raw: { width: w, height: h, channels: 1 } });
  const fmt = opts.format ?? 'png';
  await (fmt === 'jpeg' ? img.jpeg({ quality: 95 }) : fmt === 'webp' ? img.webp({ lossless: true }) : fmt === 'tiff' ? img.tiff() : img.png()).toFile(file);
  return file;
}

/** Starts a job through `start` and waits for its job.finished event (subscribed first, so nothing is missed). */
export async function waitJob<R>(core: Core, start: () => Promise<{ jobId: string }>): Promise<R> {
  const finished = new Map<string, { status: string; result?: unknown; error?: { message: string } }>();
  let want: string | null = null;
  let resolveFn: ((v: { status: string; result?: unknown; error?: { message: string } }) => void) | null = null;
  const off = core.onEvent((name, payload) => {
    if (name !== 'job.finished') return;
    const p = payload as { id: string; status: string; result?: unknown; error?: { message: string } };
    finished.set(p.id, p);
    if (p.id === want) resolveFn?.(p);
  });
  try {
    const { jobId } = await start();
    want = jobId;
    const p = finished.get(jobId) ?? (await new Promise<{ status: string; result?: unknown; error?: { message: string } }>((r) => (resolveFn = r)));
    if (p.status !== 'done') throw new Error(`job ${p.status}: ${p.error?.message}`);
    return p.result as R;
  } finally {
    off();
  }
}

export type Summary = ImportSummary;
