import { normalizeGlyph } from '../imaging/glyph';
import { binarize } from './binarize';
import { connectedComponents } from './components';
import type { Gray, Mask } from './types';

export type Point = [number, number];

/**
 * The four corners of the largest ruled grid on the page (top-left, top-right, bottom-right,
 * bottom-left): the biggest connected ink component is taken as the grid's lines, its corners are
 * the extreme points along the diagonals. Null when no component spans a tenth of the page.
 */
export function findGridCorners(mask: Mask): Point[] | null {
  const lab = connectedComponents(mask);
  let best = null;
  for (const c of lab.components) {
    const size = (c.x1 - c.x0) * (c.y1 - c.y0);
    if (!best || size > (best.x1 - best.x0) * (best.y1 - best.y0)) best = c;
  }
  if (!best || best.x1 - best.x0 < mask.width / 10 || best.y1 - best.y0 < mask.height / 10) return null;
  let tl: Point = [0, 0];
  let tr: Point = [0, 0];
  let br: Point = [0, 0];
  let bl: Point = [0, 0];
  let sMin = Infinity;
  let sMax = -Infinity;
  let dMin = Infinity;
  let dMax = -Infinity;
  for (let y = best.y0; y < best.y1; y++) {
    for (let x = best.x0; x < best.x1; x++) {
      if (lab.labels[y * mask.width + x] !== best.label) continue;
      const s = x + y;
      const d = x - y;
      if (s < sMin) (sMin = s), (tl = [x, y]);
      if (s > sMax) (sMax = s), (br = [x, y]);
      if (d > dMax) (dMax = d), (tr = [x, y]);
      if (d < dMin) (dMin = d), (bl = [x, y]);
    }
  }
  return [tl, tr, br, bl];
}

/** The homography (3×3, row-major, h33 = 1) taking the four `from` points to the four `to` points. */
export function homography(from: Point[], to: Point[]): number[] {
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 8; k++) A[r]![k]! -= f * A[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  return [...A.map((row, i) => b[i]! / row[i]!), 1];
}

/** Samples `gray` into a side×side image: output (u, v) comes from the source point H⁻¹·(u, v), bilinear. */
export function warpSquare(gray: Gray, corners: Point[], side: number): Gray {
  // Map output → source directly: the homography from the output square to the corners.
  const H = homography(
    [
      [0, 0],
      [side - 1, 0],
      [side - 1, side - 1],
      [0, side - 1],
    ],
    corners,
  );
  const out = new Uint8Array(side * side);
  const { width: w, height: h, data } = gray;
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      const z = H[6]! * u + H[7]! * v + 1;
      const x = (H[0]! * u + H[1]! * v + H[2]!) / z;
      const y = (H[3]! * u + H[4]! * v + H[5]!) / z;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[v * side + u] = 255;
        continue;
      }
      const fx = x - x0;
      const fy = y - y0;
      const i = y0 * w + x0;
      const top = data[i]! * (1 - fx) + data[i + 1]! * fx;
      const bot = data[i + w]! * (1 - fx) + data[i + w + 1]! * fx;
      out[v * side + u] = Math.round(top * (1 - fy) + bot * fy);
    }
  }
  return { data: out, width: side, height: side };
}

export interface GridCell {
  row: number;
  col: number;
  /** Normalized tile (white on black) of the cell's character, or null when the cell is empty. */
  tile: Uint8Array | null;
}

/**
 * Cells of an n×n ruled grid (a sudoku): find the grid's corners, straighten it to a square, and in
 * each cell keep the largest ink component away from the cell's borders (the character), normalized
 * like training data. Null when no grid is found.
 */
export function gridCells(gray: Gray, n = 9, tileSize = 28, cellPx = 40): GridCell[] | null {
  const { mask } = binarize(gray, 'sauvola');
  const corners = findGridCorners(mask);
  if (!corners) return null;
  const side = n * cellPx;
  const warped = binarize(warpSquare(gray, corners, side), 'sauvola').mask;
  const cells: GridCell[] = [];
  const margin = Math.round(cellPx * 0.12);
  const inner = cellPx - 2 * margin;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const sub = new Uint8Array(inner * inner);
      for (let y = 0; y < inner; y++) {
        for (let x = 0; x < inner; x++) sub[y * inner + x] = warped.data[(r * cellPx + margin + y) * side + c * cellPx + margin + x]!;
      }
      const lab = connectedComponents({ data: sub, width: inner, height: inner });
      let best = null;
      for (const comp of lab.components) {
        const h = comp.y1 - comp.y0;
        const touches = comp.x0 === 0 || comp.y0 === 0 || comp.x1 === inner || comp.y1 === inner;
        if (h < inner * 0.35 || (touches && comp.x1 - comp.x0 > inner * 0.8) || (touches && h > inner * 0.9)) continue;
        if (!best || comp.area > best.area) best = comp;
      }
      if (!best) {
        cells.push({ row: r, col: c, tile: null });
        continue;
      }
      const px = new Uint8Array(inner * inner);
      for (let i = 0; i < px.length; i++) if (lab.labels[i] === best.label) px[i] = 255;
      cells.push({ row: r, col: c, tile: normalizeGlyph(px, inner, inner, tileSize, { threshold: 127 }) });
    }
  }
  return cells;
}
