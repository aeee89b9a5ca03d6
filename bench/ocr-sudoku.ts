/**
 * Printed sudoku photos (../shared/data/sudoku-printed) read with the grid profile (`glyphlab ocr
 * --profile grid`: grid found, straightened, rows and columns counted from its lines, one character
 * or nothing per cell, the grid's kind as prior). Prints per-cell
 * accuracy (empty/digit and which digit, all 81 cells), digit accuracy on the filled cells, grids
 * found, and seconds per grid.
 *
 *   nice -n 10 npx vite-node bench/ocr-sudoku.ts [--model <dir>] [--limit N]
 *
 * Needs ../shared/data/sudoku-printed (skips, saying so, without it). ~1.5 min for the 203 photos.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPages } from '../main/core/ocr/load-pages';
import { recognize } from '../main/core/ocr/recognize';
import { classifierFor, ocrModelDir } from '../main/core/ocr/model';
import { arg, pct, requireData } from './ocr-bench-util';

function truthOf(file: string): string[] | null {
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(2).map((l) => l.trim()).filter(Boolean);
  const cells = lines.flatMap((l) => l.split(/\s+/));
  return cells.length === 81 ? cells : null;
}

async function main(): Promise<void> {
  const dir = requireData('sudoku-printed');
  const limit = Number(arg('limit', '0'));
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
  const items = (limit > 0 ? files.slice(0, limit) : files).filter((f) => fs.existsSync(path.join(dir, f.replace(/\.jpg$/, '.dat'))));
  const { dir: modelDir, classifier } = await classifierFor(ocrModelDir(null, arg('model')));
  // Only digits can be in a sudoku cell: restrict the reading to the model's digit classes.
  console.log(`sudoku: ${items.length} photos; model ${modelDir} (${classifier.runtime})`);
  let cells = 0;
  let cellsRight = 0;
  let filled = 0;
  let digitsRight = 0;
  let found = 0;
  let seconds = 0;
  for (const f of items) {
    const truth = truthOf(path.join(dir, f.replace(/\.jpg$/, '.dat')));
    if (!truth) continue;
    const t0 = performance.now();
    const [page] = await loadPages(path.join(dir, f));
    let read: string[] = Array(81).fill('0');
    // The grid profile: rows of one character or '.' per cell; an empty cell is '0' in the truth.
    const r = await recognize(page!, classifier, { profile: 'grid' });
    const rows = r.profile === 'grid' ? r.text.split('\n') : [];
    if (rows.length === 9 && rows.every((row) => row.length === 9)) {
      found++;
      read = rows.join('').replace(/\./g, '0').split('');
    }
    seconds += (performance.now() - t0) / 1000;
    truth.forEach((t, i) => {
      cells++;
      if (read[i] === t) cellsRight++;
      if (t !== '0') {
        filled++;
        if (read[i] === t) digitsRight++;
      }
    });
  }
  console.log(`grids found ${found}/${items.length}`);
  console.log(`per-cell accuracy ${pct(cellsRight / cells)} (${cellsRight}/${cells}, empty or digit)`);
  console.log(`digit accuracy on filled cells ${pct(digitsRight / filled)} (${digitsRight}/${filled})`);
  console.log(`${(seconds / items.length).toFixed(3)} s per grid`);
}

await main();
