/**
 * Printed sudoku photos (../shared/data/sudoku-printed) read with the grid profile (`glyphlab ocr
 * --profile grid`: grid found, straightened, rows and columns counted from its lines, one character
 * or nothing per cell, the grid's kind as prior). Prints per-cell
 * accuracy (empty/digit and which digit, all 81 cells), digit accuracy on the filled cells, grids
 * found, and seconds per grid, for the odd- and even-numbered photos apart (tune on the odd ones, check
 * on the even ones) and all together.
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
  const tally = { odd: blank(), even: blank() };
  for (const f of items) {
    const truth = truthOf(path.join(dir, f.replace(/\.jpg$/, '.dat')));
    if (!truth) continue;
    const t = Number(f.replace(/\D/g, '')) % 2 ? tally.odd : tally.even;
    const t0 = performance.now();
    const [page] = await loadPages(path.join(dir, f));
    let read: string[] = Array(81).fill('0');
    // The grid profile: rows of one character or '.' per cell; an empty cell is '0' in the truth.
    const r = await recognize(page!, classifier, { profile: 'grid' });
    const rows = r.profile === 'grid' ? r.text.split('\n') : [];
    t.grids++;
    if (rows.length === 9 && rows.every((row) => row.length === 9)) {
      t.found++;
      read = rows.join('').replace(/\./g, '0').split('');
    }
    t.seconds += (performance.now() - t0) / 1000;
    truth.forEach((d, i) => {
      t.cells++;
      if (read[i] === d) t.cellsRight++;
      if (d !== '0') {
        t.filled++;
        if (read[i] === d) t.digitsRight++;
      }
    });
  }
  const all = blank();
  for (const k of Object.keys(all) as (keyof Tally)[]) all[k] = tally.odd[k] + tally.even[k];
  for (const [name, t] of [['odd', tally.odd], ['even', tally.even], ['all', all]] as const) {
    console.log(
      `${name.padEnd(4)}: grids found ${t.found}/${t.grids}; per-cell accuracy ${pct(t.cellsRight / t.cells, 2)} (${t.cellsRight}/${t.cells}); ` +
        `digits on filled cells ${pct(t.digitsRight / t.filled, 2)} (${t.digitsRight}/${t.filled}); ${(t.seconds / t.grids).toFixed(3)} s per grid`,
    );
  }
}

interface Tally {
  grids: number;
  found: number;
  cells: number;
  cellsRight: number;
  filled: number;
  digitsRight: number;
  seconds: number;
}

function blank(): Tally {
  return { grids: 0, found: 0, cells: 0, cellsRight: 0, filled: 0, digitsRight: 0, seconds: 0 };
}

await main();
