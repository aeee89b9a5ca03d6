import { binarize } from './binarize';
import { connectedComponents } from './components';
import { cellGlyphs } from './grid-cells';
import { cellsAcross, squareUp } from './grid-lines';
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

/** The homography taking a ow×oh output rectangle's corners to `corners` (tl, tr, br, bl). */
export function rectToCorners(corners: Point[], ow: number, oh: number): number[] {
  return homography(
    [
      [0, 0],
      [ow - 1, 0],
      [ow - 1, oh - 1],
      [0, oh - 1],
    ],
    corners,
  );
}

/** Applies a homography to a point. */
export function mapPoint(H: number[], u: number, v: number): Point {
  const z = H[6]! * u + H[7]! * v + 1;
  return [(H[0]! * u + H[1]! * v + H[2]!) / z, (H[3]! * u + H[4]! * v + H[5]!) / z];
}

/** Samples `gray` into an ow×oh image whose corners are `corners` on the page, bilinear. */
export function warpRect(gray: Gray, corners: Point[], ow: number, oh: number): Gray {
  const H = rectToCorners(corners, ow, oh);
  const out = new Uint8Array(ow * oh);
  const { width: w, height: h, data } = gray;
  for (let v = 0; v < oh; v++) {
    for (let u = 0; u < ow; u++) {
      const z = H[6]! * u + H[7]! * v + 1;
      const x = (H[0]! * u + H[1]! * v + H[2]!) / z;
      const y = (H[3]! * u + H[4]! * v + H[5]!) / z;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[v * ow + u] = 255;
        continue;
      }
      const fx = x - x0;
      const fy = y - y0;
      const i = y0 * w + x0;
      const top = data[i]! * (1 - fx) + data[i + 1]! * fx;
      const bot = data[i + w]! * (1 - fx) + data[i + w + 1]! * fx;
      out[v * ow + u] = Math.round(top * (1 - fy) + bot * fy);
    }
  }
  return { data: out, width: ow, height: oh };
}

export interface GridCell {
  row: number;
  col: number;
  /** Normalized tile (white on black) of the cell's character, or null when the cell is empty. */
  tile: Uint8Array | null;
  /** The character's box on the page (x, y, width, height), or the cell's when empty. */
  box: [number, number, number, number];
}

export interface GridLayout {
  rows: number;
  cols: number;
  cells: GridCell[];
}

/** A grid straightened to cells of `cell` px: its image and the homography back onto the page. */
export interface StraightGrid {
  image: Gray;
  rows: number;
  cols: number;
  cell: number;
  /** Maps a point of `image` to the page. */
  toPage: number[];
}

/**
 * The ruled grid whose corners are given, straightened: warped once (at most 1200 px a side), its
 * rows and columns counted from its lines (`cellsAlong`), then warped again onto its outer lines with
 * room (40-64 px) for each cell's character. Null when its lines cannot be counted.
 */
export function straightenGrid(gray: Gray, corners: Point[]): StraightGrid | null {
  const [tl, tr, br, bl] = corners as [Point, Point, Point, Point];
  const d = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const w0 = (d(tl, tr) + d(bl, br)) / 2;
  const h0 = (d(tl, bl) + d(tr, br)) / 2;
  const first = warpRect(gray, corners, Math.max(8, Math.round(Math.min(w0, 1200))), Math.max(8, Math.round(Math.min(h0, 1200))));
  const ry = cellsAcross(first, true);
  const rx = cellsAcross(first, false);
  if (!ry || !rx) return null;
  [ry.n, rx.n] = squareUp(ry, rx);
  const cell = Math.max(40, Math.min(64, Math.round(Math.min((rx.to - rx.from) / rx.n, (ry.to - ry.from) / ry.n))));
  const H0 = rectToCorners(corners, first.width, first.height);
  const inner: Point[] = [mapPoint(H0, rx.from, ry.from), mapPoint(H0, rx.to, ry.from), mapPoint(H0, rx.to, ry.to), mapPoint(H0, rx.from, ry.to)];
  const W = rx.n * cell;
  const H = ry.n * cell;
  return { image: warpRect(gray, inner, W, H), rows: ry.n, cols: rx.n, cell, toPage: rectToCorners(inner, W, H) };
}

/**
 * The cells of the ruled grid whose corners are given (`straightenGrid`), each cell's character cut
 * out and normalized like training data (`cellGlyphs`). Boxes are mapped back onto the page.
 */
export function gridLayout(gray: Gray, corners: Point[], tileSize = 28): GridLayout | null {
  const g = straightenGrid(gray, corners);
  return g ? gridCells(g, tileSize) : null;
}

/** The cells of a straightened grid, row by row, with their boxes on the page. */
export function gridCells(g: StraightGrid, tileSize: number): GridLayout {
  const { rows, cols, cell, toPage: H } = g;
  const glyphs = cellGlyphs(g.image, rows, cols, cell, tileSize);
  const toPage = (x0: number, y0: number, x1: number, y1: number): [number, number, number, number] => {
    const pts = [mapPoint(H, x0, y0), mapPoint(H, x1, y0), mapPoint(H, x1, y1), mapPoint(H, x0, y1)];
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const bx = Math.round(Math.min(...xs));
    const by = Math.round(Math.min(...ys));
    return [bx, by, Math.round(Math.max(...xs)) - bx, Math.round(Math.max(...ys)) - by];
  };
  const cells: GridCell[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = glyphs[r * cols + c];
      cells.push({ row: r, col: c, tile: k?.tile ?? null, box: k ? toPage(k.x0, k.y0, k.x1, k.y1) : toPage(c * cell, r * cell, (c + 1) * cell, (r + 1) * cell) });
    }
  }
  return { rows, cols, cells };
}
