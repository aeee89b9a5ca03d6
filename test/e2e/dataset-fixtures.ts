/**
 * Fixtures for the Dataset view's end-to-end tests, made in code: character glyphs rendered from a
 * font (white ink on black, 28×28), as PNG files in class folders or as an IDX pair, each image made
 * unique by a faint code in its bottom row (the core drops duplicates by content).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { Page } from 'playwright-core';

export const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SIZE = 28;

const glyphCache = new Map<string, Uint8Array>();

/** One character as 28×28 gray pixels, white on black. */
export async function glyph(ch: string): Promise<Uint8Array> {
  const cached = glyphCache.get(ch);
  if (cached) return cached;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">` +
    `<rect width="${SIZE}" height="${SIZE}" fill="black"/>` +
    `<text x="14" y="22" font-size="22" font-family="DejaVu Sans" font-weight="bold" fill="white" text-anchor="middle">${ch}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || info.width !== SIZE || info.height !== SIZE) throw new Error(`unexpected glyph raster ${info.width}x${info.height}x${info.channels}`);
  const px = new Uint8Array(data);
  glyphCache.set(ch, px);
  return px;
}

/** The glyph with `n` written as faint pixels along the bottom row, so every variant is distinct. */
export function variant(base: Uint8Array, n: number, out = new Uint8Array(SIZE * SIZE)): Uint8Array {
  out.set(base);
  for (let bit = 0; bit < SIZE; bit++) if ((n >> bit) & 1) out[(SIZE - 1) * SIZE + bit] = 70;
  return out;
}

export async function pngOf(px: Uint8Array): Promise<Buffer> {
  return sharp(Buffer.from(px), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toBuffer();
}

/** root/<class>/<class>-<i>.png for each class and count; returns the root. */
export async function writeClassFolders(root: string, counts: Record<string, number>): Promise<string> {
  let n = 0;
  for (const [label, count] of Object.entries(counts)) {
    fs.mkdirSync(path.join(root, label), { recursive: true });
    for (let i = 0; i < count; i++) {
      fs.writeFileSync(path.join(root, label, `${label}-${i}.png`), await pngOf(variant(await glyph(label), ++n)));
    }
  }
  return root;
}

/**
 * An IDX pair of `count` images cycling through the class set (labels are class-set indices);
 * returns the images file (the core finds the labels file next to it).
 */
export async function writeIdxPair(dir: string, count: number, opts: { gzip?: boolean } = {}): Promise<{ images: string; labels: Uint8Array }> {
  const bases = await Promise.all([...CLASSES].map((c) => glyph(c)));
  const images = Buffer.alloc(16 + count * SIZE * SIZE);
  images.writeUInt32BE(0x803, 0);
  images.writeUInt32BE(count, 4);
  images.writeUInt32BE(SIZE, 8);
  images.writeUInt32BE(SIZE, 12);
  const labels = Buffer.alloc(8 + count);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(count, 4);
  const px = new Uint8Array(SIZE * SIZE);
  for (let i = 0; i < count; i++) {
    const k = i % CLASSES.length;
    variant(bases[k]!, i + 1, px);
    images.set(px, 16 + i * SIZE * SIZE);
    labels[8 + i] = k;
  }
  const ext = opts.gzip ? '.gz' : '';
  const pack = (b: Buffer) => (opts.gzip ? zlib.gzipSync(b, { level: 1 }) : b);
  const imagesFile = path.join(dir, `train-images-idx3-ubyte${ext}`);
  fs.writeFileSync(imagesFile, pack(images));
  fs.writeFileSync(path.join(dir, `train-labels-idx1-ubyte${ext}`), pack(labels));
  return { images: imagesFile, labels: labels.subarray(8) };
}

/** Resolves with a job's job.finished payload (listen before starting the job). */
export function jobFinished(
  core: { onEvent(fn: (name: string, payload: unknown) => void): () => void },
  predicate: (p: { id: string; status: string; result?: unknown }) => boolean = () => true,
): Promise<{ id: string; status: string; result?: unknown; error?: { message: string } }> {
  return new Promise((resolve) => {
    const off = core.onEvent((name, payload) => {
      const p = payload as { id: string; status: string; result?: unknown };
      if (name === 'job.finished' && predicate(p)) {
        off();
        resolve(p);
      }
    });
  });
}

/** Labels of the tiles in the DOM, by index. */
export async function tileLabels(page: Page): Promise<Map<number, { id: number; label: string }>> {
  const rows = await page.$$eval('[data-testid=tile]', (els) =>
    els.map((el) => ({
      index: Number((el as HTMLElement).dataset.index),
      id: Number((el as HTMLElement).dataset.id ?? NaN),
      label: el.querySelector('[data-testid=tile-label]')?.textContent ?? '',
    })),
  );
  return new Map(rows.map((r) => [r.index, { id: r.id, label: r.label }]));
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
