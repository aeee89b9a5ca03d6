/**
 * Train/inference check for scripts/render-font-glyphs.ts: a page of 0-9 A-Z set in a few fonts at a few
 * sizes, cut into tiles by the OCR pipeline itself (binarize, connected components, segment, glyphTile),
 * next to the tiles scripts/glyph-augment.ts makes from the same fonts. Writes a contact sheet (odd rows:
 * the OCR pipeline's tiles; even rows: the renderer's) and prints the mean ink and ink-box figures of both.
 *
 *   npx vite-node bench/font-tiles-vs-ocr.ts [--sheet FILE.png]
 */
import sharp from 'sharp';
import { binarize } from '../main/core/ocr/binarize';
import { connectedComponents } from '../main/core/ocr/components';
import { segment } from '../main/core/ocr/segment';
import { glyphTile } from '../main/core/ocr/tiles';
import { augmentedTile, trimInk } from '../scripts/glyph-augment';
import { arg } from './ocr-bench-util';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const FONTS = ['Liberation Sans', 'Lato', 'Caladea', 'JetBrains Mono'];
const SIZES = [18, 36];
const sheetFile = arg('sheet', '.tmp/font-tiles-vs-ocr.png')!;

async function ocrTiles(family: string, size: number): Promise<Uint8Array[]> {
  const text = CLASSES.split('').join(' ');
  const width = Math.ceil(text.length * size * 0.75) + 40;
  const height = size * 3;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><text x="20" y="${size * 2}" font-family="${family}" font-size="${size}" fill="black">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { mask } = binarize({ data: new Uint8Array(data), width: info.width, height: info.height });
  const lab = connectedComponents(mask);
  const lines = segment(lab);
  return lines.flatMap((l) => l.glyphs).sort((a, b) => a.x0 - b.x0).map((g) => glyphTile(g, lab, 28));
}

async function rendererTile(family: string, ch: string, seed: number): Promise<Uint8Array | null> {
  const { data, info } = await sharp({ text: { text: ch, font: `${family} 64`, dpi: 72, rgba: true } }).raw().toBuffer({ resolveWithObject: true });
  const v = new Float32Array(info.width * info.height);
  for (let i = 0; i < v.length; i++) v[i] = data[i * 4 + 3]! / 255;
  const m = trimInk({ v, w: info.width, h: info.height });
  let s = seed;
  return m && augmentedTile(m, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32));
}

function stats(tiles: Uint8Array[]): string {
  let ink = 0;
  let on = 0;
  for (const t of tiles) for (const p of t) {
    ink += p;
    if (p > 127) on++;
  }
  const n = tiles.length * 28 * 28;
  return `${tiles.length} tiles, mean level ${(ink / n).toFixed(1)}, pixels > 127 ${((100 * on) / n).toFixed(1)}%`;
}

const rows: Uint8Array[][] = [];
const ocrAll: Uint8Array[] = [];
const renAll: Uint8Array[] = [];
for (const family of FONTS)
  for (const size of SIZES) {
    const ocr = await ocrTiles(family, size);
    const ren = (await Promise.all([...CLASSES].map((ch, i) => rendererTile(family, ch, size * 1000 + i)))).filter((t): t is Uint8Array => !!t);
    console.log(`${family} ${size}px: OCR ${ocr.length} tiles (expected ${CLASSES.length})`);
    rows.push(ocr, ren);
    ocrAll.push(...ocr);
    renAll.push(...ren);
  }
console.log(`OCR pipeline: ${stats(ocrAll)}`);
console.log(`renderer:     ${stats(renAll)}`);
const cols = CLASSES.length;
const px = Buffer.alloc(cols * 28 * rows.length * 28, 40);
rows.forEach((row, r) =>
  row.slice(0, cols).forEach((t, c) => {
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[(r * 28 + y) * cols * 28 + c * 28 + x] = t[y * 28 + x]!;
  }),
);
await sharp(px, { raw: { width: cols * 28, height: rows.length * 28, channels: 1 } }).resize({ width: cols * 56, kernel: 'nearest' }).png().toFile(sheetFile);
console.log(`sheet: ${sheetFile}`);
