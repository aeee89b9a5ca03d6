import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `<dir>/<prefix>-images-idx3-ubyte` and its labels file: `n` distinct 28×28 glyph-like images
 * (a bar whose position and length vary, plus the index written in bits along the bottom rows, so
 * every image is unique) with labels 0..classes-1.
 */
export function writeIdx(dir: string, n: number, opts: { prefix?: string; classes?: number; side?: number } = {}): { images: string; labels: string } {
  const side = opts.side ?? 28;
  const classes = opts.classes ?? 36;
  const prefix = opts.prefix ?? 'train';
  const images = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const labels = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  const img = Buffer.alloc(16 + n * side * side);
  img.writeUInt32BE(0x0803, 0);
  img.writeUInt32BE(n, 4);
  img.writeUInt32BE(side, 8);
  img.writeUInt32BE(side, 12);
  const lab = Buffer.alloc(8 + n);
  lab.writeUInt32BE(0x0801, 0);
  lab.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) {
    const o = 16 + i * side * side;
    const col = 4 + (i % (side - 8));
    const len = 6 + (i % 13);
    for (let y = 4; y < 4 + len; y++) img[o + y * side + col] = 255;
    for (let b = 0; b < 24; b++) if ((i >> b) & 1) img[o + (side - 3 + (b >> 4)) * side + 2 + (b & 15)] = 200;
    lab[8 + i] = i % classes;
  }
  fs.writeFileSync(images, img);
  fs.writeFileSync(labels, lab);
  return { images, labels };
}
