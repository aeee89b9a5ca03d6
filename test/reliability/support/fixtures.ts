import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid 1-bit grayscale PNG of width×height, all black: small on disk (~1000:1), huge once decoded. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grayscale
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + zero bits, every row
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * An 8-bit grayscale PNG whose header says width×height and whose data inflates to `rows` rows of zeros
 * (default: height, a valid image; fewer or more make a header that lies). Deflated in 4 MiB pieces, so
 * a 20000×20000 bomb (~390 KB) is made without holding its 400 MB.
 */
export async function grayPngBomb(width: number, height: number, rows = height): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const total = (width + 1) * rows;
  const piece = Buffer.alloc(Math.min(total, 4 * 1024 * 1024));
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (d: Buffer) => parts.push(d));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  for (let done = 0; done < total; done += piece.length) {
    const n = Math.min(piece.length, total - done);
    if (!deflate.write(piece.subarray(0, n))) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await ended;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

/** A w×h gray PNG of a bar (a plausible glyph), via sharp. */
export async function glyphPng(w = 28, h = 28, shade = 0): Promise<Buffer> {
  const px = Buffer.alloc(w * h, 255);
  for (let y = 4; y < h - 4; y++) for (let x = (w >> 1) - 2 - shade; x < (w >> 1) + 2; x++) px[y * w + x] = 0;
  return sharp(px, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}

export async function glyphJpeg(w = 64, h = 64): Promise<Buffer> {
  const px = Buffer.alloc(w * h, 255);
  for (let y = 8; y < h - 8; y++) for (let x = 28; x < 36; x++) px[y * w + x] = 0;
  return sharp(px, { raw: { width: w, height: h, channels: 1 } }).jpeg({ quality: 90 }).toBuffer();
}

/**
 * A little-endian TIFF of `pages` 8×8 gray pages sharing one strip; `loop` makes the last page's
 * next-IFD offset point back at the first (an endless page chain).
 */
export function tiffPages(pages: number, loop = false): Buffer {
  const W = 8;
  const strip = Buffer.alloc(W * W, 0);
  for (let i = 2; i < 6; i++) strip[i * W + 3] = 255;
  const entries = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const stripAt = 8;
  const firstIfd = stripAt + strip.length;
  const buf = Buffer.alloc(firstIfd + pages * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(firstIfd, 4);
  strip.copy(buf, stripAt);
  for (let p = 0; p < pages; p++) {
    const at = firstIfd + p * ifdSize;
    buf.writeUInt16LE(entries, at);
    const tags: [number, number, number][] = [
      [256, 3, W], // width
      [257, 3, W], // height
      [258, 3, 8], // bits per sample
      [259, 3, 1], // no compression
      [262, 3, 1], // black is zero
      [273, 4, stripAt], // strip offset
      [278, 3, W], // rows per strip
      [279, 4, strip.length], // strip byte count
    ];
    tags.forEach(([tag, type, value], i) => {
      const e = at + 2 + i * 12;
      buf.writeUInt16LE(tag, e);
      buf.writeUInt16LE(type, e + 2);
      buf.writeUInt32LE(1, e + 4);
      if (type === 3) buf.writeUInt16LE(value, e + 8);
      else buf.writeUInt32LE(value, e + 8);
    });
    const next = p + 1 < pages ? at + ifdSize : loop ? firstIfd : 0;
    buf.writeUInt32LE(next, at + 2 + entries * 12);
  }
  return buf;
}

/**
 * A little-endian TIFF of 8-bit gray pages of the given sizes that all share one deflate-compressed strip
 * of zeros as large as the largest page: a few hundred kB that decode to gigabytes ("TIFF bomb").
 */
export function tiffBomb(sizes: { width: number; height: number }[]): Buffer {
  const most = sizes.reduce((a, s) => Math.max(a, s.width * s.height), 0);
  const strip = zlib.deflateSync(Buffer.alloc(most), { level: 9 });
  const entries = 8;
  const ifdSize = 2 + entries * 12 + 4;
  const stripAt = 8;
  const firstIfd = stripAt + strip.length + (strip.length & 1);
  const buf = Buffer.alloc(firstIfd + sizes.length * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(firstIfd, 4);
  strip.copy(buf, stripAt);
  sizes.forEach(({ width, height }, p) => {
    const at = firstIfd + p * ifdSize;
    buf.writeUInt16LE(entries, at);
    const tags: [number, number][] = [[256, width], [257, height], [258, 8], [259, 8 /* deflate */], [262, 1], [273, stripAt], [278, height], [279, strip.length]];
    tags.forEach(([tag, value], i) => {
      const e = at + 2 + i * 12;
      buf.writeUInt16LE(tag, e);
      buf.writeUInt16LE(4, e + 2); // LONG
      buf.writeUInt32LE(1, e + 4);
      buf.writeUInt32LE(value, e + 8);
    });
    buf.writeUInt32LE(p + 1 < sizes.length ? at + ifdSize : 0, at + 2 + entries * 12);
  });
  return buf;
}

export function idxImages(n: number, side = 28, opts: { magic?: number; declared?: number; cutBytes?: number } = {}): Buffer {
  const b = Buffer.alloc(16 + n * side * side);
  b.writeUInt32BE(opts.magic ?? 0x0803, 0);
  b.writeUInt32BE(opts.declared ?? n, 4);
  b.writeUInt32BE(side, 8);
  b.writeUInt32BE(side, 12);
  for (let i = 0; i < n; i++) for (let y = 5; y < 5 + (i % 15) + 3; y++) b[16 + i * side * side + y * side + 5 + (i % 17)] = 255;
  return opts.cutBytes ? b.subarray(0, b.length - opts.cutBytes) : b;
}

export function idxLabels(labels: number[]): Buffer {
  const b = Buffer.alloc(8 + labels.length);
  b.writeUInt32BE(0x0801, 0);
  b.writeUInt32BE(labels.length, 4);
  labels.forEach((l, i) => (b[8 + i] = l));
  return b;
}

/** A CSV row: label then 784 pixels, with a bar whose column depends on `i`. */
export function csvRow(label: string | number, i: number, px: (k: number) => string | number = (k) => ((k % 28) === 5 + (i % 17) ? 255 : 0)): string {
  return [label, ...Array.from({ length: 784 }, (_, k) => px(k))].join(',');
}

export function write(dir: string, rel: string, data: Buffer | string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}
