/**
 * Printed sudoku photos (../shared/data/sudoku-printed): cells from the grid's lines (grid found,
 * straightened, cut 9×9), each non-empty cell's digit read by the given model. Prints per-cell
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
import { decodePages } from '../main/core/ocr/decode';
import { gridCells } from '../main/core/ocr/grid';
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
  const digitIdx = [...classifier.classes].map((c, i) => (/[1-9]/.test(c) ? i : -1)).filter((i) => i >= 0);
  console.log(`sudoku: ${items.length} photos; model ${modelDir} (${classifier.runtime})`);
  let cells = 0;
  let cellsRight = 0;
  let filled = 0;
  let digitsRight = 0;
  let found = 0;
  let seconds = 0;
  const size = classifier.inputSize;
  for (const f of items) {
    const truth = truthOf(path.join(dir, f.replace(/\.jpg$/, '.dat')));
    if (!truth) continue;
    const t0 = performance.now();
    const [page] = await decodePages(path.join(dir, f));
    const grid = gridCells(page!, 9, size);
    let read: string[] = Array(81).fill('0');
    if (grid) {
      found++;
      const withInk = grid.filter((c) => c.tile);
      const batch = new Float32Array(withInk.length * size * size);
      withInk.forEach((c, i) => c.tile!.forEach((v, k) => (batch[i * size * size + k] = v / 255)));
      const cls = await classifier.classify(batch, withInk.length);
      read = grid.map(() => '0');
      withInk.forEach((c, i) => {
        let best = digitIdx[0]!;
        for (const j of digitIdx) if (cls.probs[i * classifier.classes.length + j]! > cls.probs[i * classifier.classes.length + best]!) best = j;
        read[c.row * 9 + c.col] = classifier.classes[best]!;
      });
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
