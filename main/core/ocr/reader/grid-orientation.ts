import type { GridCell, GridLayout } from '../grid';
import type { OcrClassifier } from '../types';

/** Turned a quarter (or more) only when its characters read this much better (mean log-probability per cell). */
const MARGIN = 0.1;

/** A square tile turned a quarter counter-clockwise `k` times. */
export function turnTile(tile: Uint8Array, size: number, k: number): Uint8Array {
  let src = tile;
  for (let t = 0; t < (((k % 4) + 4) % 4); t++) {
    const out = new Uint8Array(size * size);
    // Counter-clockwise: the pixel at (x, y) goes to (y, size - 1 - x).
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[(size - 1 - x) * size + y] = src[y * size + x]!;
    src = out;
  }
  return src;
}

/** The grid turned a quarter counter-clockwise `k` times: cells renumbered, tiles turned, page boxes kept. */
export function turnGrid(grid: GridLayout, size: number, k: number): GridLayout {
  const q = ((k % 4) + 4) % 4;
  if (q === 0) return grid;
  let { rows, cols } = grid;
  let cells: GridCell[] = grid.cells;
  for (let t = 0; t < q; t++) {
    // Counter-clockwise: cell (r, c) of a rows × cols grid goes to (cols - 1 - c, r) of a cols × rows one.
    cells = cells.map((cell) => ({ ...cell, row: cols - 1 - cell.col, col: cell.row }));
    [rows, cols] = [cols, rows];
  }
  const turned = cells.map((c) => ({ ...c, tile: c.tile && turnTile(c.tile, size, q) }));
  turned.sort((a, b) => a.row - b.row || a.col - b.col);
  return { rows, cols, cells: turned };
}

/**
 * A photo may hold its grid on its side or upside down (or say so wrongly in its EXIF orientation):
 * the filled cells are classified in the four quarter turns and the turn whose characters the model
 * is surest of, on average and clearly surer than of the upright reading (a blurred grid reads badly
 * every way), is taken. Returns the
 * grid turned upright, and the probabilities of its filled cells (row order) in that turn.
 */
export async function uprightGrid(grid: GridLayout, classifier: OcrClassifier, allowed: boolean[]): Promise<{ grid: GridLayout; probs: Float32Array }> {
  const size = classifier.inputSize;
  const filled = grid.cells.filter((c) => c.tile);
  if (!filled.length) return { grid, probs: new Float32Array(0) };
  const nc = classifier.classes.length;
  const n = filled.length;
  const px = new Float32Array(4 * n * size * size);
  for (let k = 0; k < 4; k++) filled.forEach((c, i) => px.set(Array.from(turnTile(c.tile!, size, k), (v) => v / 255), (k * n + i) * size * size));
  const { probs } = await classifier.classify(px, 4 * n);
  const score = [0, 1, 2, 3].map((k) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 0; c < nc; c++) if (allowed[c]) best = Math.max(best, probs[(k * n + i) * nc + c]!);
      s += Math.log(best + 1e-6);
    }
    return s / n;
  });
  let k = 0;
  // A turn must read clearly better: by MARGIN, and losing at most half the upright reading's log-probability.
  for (let t = 1; t < 4; t++) if (score[t]! > score[k]! && score[t]! > score[0]! + MARGIN && score[t]! > score[0]! / 2) k = t;
  const turned = turnGrid(grid, size, k);
  if (k === 0) return { grid, probs: probs.slice(0, n * nc) };
  // The turned grid lists its filled cells in its own row order: classify them in that order again.
  const order = turned.cells.filter((c) => c.tile);
  const again = await classifier.classify(Float32Array.from(order.flatMap((c) => Array.from(c.tile!, (v) => v / 255))), order.length);
  return { grid: turned, probs: again.probs };
}
