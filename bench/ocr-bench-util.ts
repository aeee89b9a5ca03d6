/** Shared helpers of the OCR benchmarks (bench/ocr-*.ts): arguments, data location, scoring. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');

export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

export function requireData(sub: string): string {
  const dir = path.join(DATA, sub);
  if (!fs.existsSync(dir)) {
    console.log(`skipped: ${dir} is absent (the benchmark reads ../shared/data beside the project)`);
    process.exit(0);
  }
  return dir;
}

/** The one edit distance of the benchmarks lives in text-metrics.ts (with CER/WER and confusions). */
export { editDistance } from './text-metrics';

export function pct(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** A letter-size-like page at ~150 dpi: 28 lines of ~42 characters of Liberation Sans, slightly rotated. */
export async function thousandCharPage(): Promise<{ png: Buffer; chars: number }> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const lines: string[] = [];
  let chars = 0;
  for (let i = 0; i < 28; i++) {
    const words: string[] = [];
    let len = 0;
    while (len < 42) {
      const w = Array.from({ length: 2 + Math.floor(rnd() * 6) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      words.push(w);
      len += w.length + 1;
      chars += w.length;
    }
    lines.push(words.join(' '));
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1275" height="1650"><rect width="100%" height="100%" fill="white"/><g font-family="Liberation Sans" font-size="30" fill="black">${lines
    .map((l, i) => `<text x="80" y="${110 + i * 52}">${l}</text>`)
    .join('')}</g></svg>`;
  const flat = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).png().toBuffer();
  const png = await sharp(flat).rotate(1.2, { background: '#fff' }).png().toBuffer();
  return { png, chars };
}


/** Plate text as the benches compare it: capitals and digits only. */
export const cleanPlate = (s: string) => s.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** The plates of ../shared/data/plates/groundtruth.csv (`file,state,PLATE`): each image's path and its plate. */
export function plateRows(dir: string): { file: string; plate: string }[] {
  return fs
    .readFileSync(path.join(dir, 'groundtruth.csv'), 'utf8')
    .split('\n')
    .map((l) => l.trim().split(','))
    .filter((r) => r.length >= 3 && r[0])
    .map((r) => ({ file: path.join(dir, 'images', r[0]!), plate: cleanPlate(r[2]!) }));
}
