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

/**
 * Cells along one axis from its ink profile (the share of ink in long runs per row or column of the
 * straightened grid, whose outer lines lie at its two ends by construction): ruling lines are its
 * peaks; the cell size is the common spacing between neighbouring peaks (a sudoku's thick lines every
 * third cell do not fool it: its thin lines are peaks too, however faint). Returns the extent and the
 * count of cells, or null without two lines.
 */
export function cellsAlong(profile: Float64Array): { from: number; to: number; n: number } | null {
  const sm = profile.map((_, i) => ((profile[i - 1] ?? profile[i]!) + profile[i]! + (profile[i + 1] ?? profile[i]!)) / 3);
  const max = Math.max(...sm);
  if (!(max > 0.2)) return null;
  const centres: number[] = [];
  for (let i = 0; i < sm.length; ) {
    if (sm[i]! < 0.15 * max) {
      i++;
      continue;
    }
    let j = i;
    while (j < sm.length && sm[j]! >= 0.15 * max) j++;
    centres.push((i + j - 1) / 2);
    i = j;
  }
  if (centres.length < 2) return null;
  const gaps = centres
    .slice(1)
    .map((c, i) => c - centres[i]!)
    .filter((g) => g > Math.max(4, sm.length / 80))
    .sort((a, b) => a - b);
  if (!gaps.length) return null;
  const pitch = gaps[Math.floor(gaps.length / 4)]!;
  const from = Math.min(centres[0]!, 0.25 * pitch) > 0.25 * pitch ? centres[0]! : 0;
  const last = centres[centres.length - 1]!;
  const to = sm.length - 1 - last > 0.25 * pitch ? last : sm.length - 1;
  const n = Math.max(1, Math.round((to - from) / pitch));
  return n <= 60 ? { from, to, n } : null;
}

/**
 * Per row (`rows`) or column: the share of it covered by ink runs at least 8% of its length. Only long
 * runs count: ruling lines, not the strokes of the characters between them.
 */
function longRuns(m: Mask, rows: boolean): Float64Array {
  const [n, len] = rows ? [m.height, m.width] : [m.width, m.height];
  const at = rows ? (i: number, k: number) => m.data[i * m.width + k] : (i: number, k: number) => m.data[k * m.width + i];
  const minRun = Math.max(3, 0.08 * len);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < len; ) {
      let e = k;
      while (e < len && at(i, e)) e++;
      if (e - k >= minRun) out[i]! += (e - k) / len;
      k = e + 1;
    }
  }
  return out;
}

/** The largest ink component inside a cell, away from its borders (the character), as a tile; null when empty. */
function cellGlyph(mask: Mask, x0: number, y0: number, cw: number, ch: number, tileSize: number): { tile: Uint8Array; x0: number; y0: number; x1: number; y1: number } | null {
  const mx = Math.round(cw * 0.12);
  const my = Math.round(ch * 0.12);
  const iw = Math.max(1, Math.round(cw) - 2 * mx);
  const ih = Math.max(1, Math.round(ch) - 2 * my);
  const sub = new Uint8Array(iw * ih);
  const ox = Math.round(x0) + mx;
  const oy = Math.round(y0) + my;
  for (let y = 0; y < ih; y++) {
    for (let x = 0; x < iw; x++) {
      const sx = ox + x;
      const sy = oy + y;
      if (sx >= 0 && sy >= 0 && sx < mask.width && sy < mask.height) sub[y * iw + x] = mask.data[sy * mask.width + sx]!;
    }
  }
  const lab = connectedComponents({ data: sub, width: iw, height: ih });
  let best = null;
  for (const comp of lab.components) {
    const h = comp.y1 - comp.y0;
    const touches = comp.x0 === 0 || comp.y0 === 0 || comp.x1 === iw || comp.y1 === ih;
    if (h < ih * 0.35 || (touches && comp.x1 - comp.x0 > iw * 0.8) || (touches && h > ih * 0.9)) continue;
    if (!best || comp.area > best.area) best = comp;
  }
  if (!best) return null;
  const px = new Uint8Array(iw * ih);
  for (let i = 0; i < px.length; i++) if (lab.labels[i] === best.label) px[i] = 255;
  return { tile: normalizeGlyph(px, iw, ih, tileSize, { threshold: 127 }), x0: ox + best.x0, y0: oy + best.y0, x1: ox + best.x1, y1: oy + best.y1 };
}

/**
 * The cells of the ruled grid whose corners are given: the grid is straightened (at most 1200 px a
 * side, at least 40 px a cell), its rows and columns counted from its lines (`cellsAlong`), and each
 * cell's character cut out and normalized like training data. Boxes are mapped back onto the page.
 */
export function gridLayout(gray: Gray, corners: Point[], tileSize = 28): GridLayout | null {
  const [tl, tr, br, bl] = corners as [Point, Point, Point, Point];
  const d = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const w0 = (d(tl, tr) + d(bl, br)) / 2;
  const h0 = (d(tl, bl) + d(tr, br)) / 2;
  const first = warpRect(gray, corners, Math.max(8, Math.round(Math.min(w0, 1200))), Math.max(8, Math.round(Math.min(h0, 1200))));
  const m0 = binarize(first, 'sauvola').mask;
  const rowInk = longRuns(m0, true);
  const colInk = longRuns(m0, false);
  const ry = cellsAlong(rowInk);
  const rx = cellsAlong(colInk);
  if (!ry || !rx) return null;
  // Straighten again so each cell has room (40-64 px) for its character.
  const cellPx = Math.max(40, Math.min(64, Math.round(Math.min((rx.to - rx.from) / rx.n, (ry.to - ry.from) / ry.n))));
  const H0 = rectToCorners(corners, first.width, first.height);
  const inner: Point[] = [mapPoint(H0, rx.from, ry.from), mapPoint(H0, rx.to, ry.from), mapPoint(H0, rx.to, ry.to), mapPoint(H0, rx.from, ry.to)];
  const W = rx.n * cellPx;
  const Hh = ry.n * cellPx;
  const mask = binarize(warpRect(gray, inner, W, Hh), 'sauvola').mask;
  const H = rectToCorners(inner, W, Hh);
  const toPage = (x0: number, y0: number, x1: number, y1: number): [number, number, number, number] => {
    const pts = [mapPoint(H, x0, y0), mapPoint(H, x1, y0), mapPoint(H, x1, y1), mapPoint(H, x0, y1)];
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const bx = Math.round(Math.min(...xs));
    const by = Math.round(Math.min(...ys));
    return [bx, by, Math.round(Math.max(...xs)) - bx, Math.round(Math.max(...ys)) - by];
  };
  const cells: GridCell[] = [];
  for (let r = 0; r < ry.n; r++) {
    for (let c = 0; c < rx.n; c++) {
      const g = cellGlyph(mask, c * cellPx, r * cellPx, cellPx, cellPx, tileSize);
      cells.push({ row: r, col: c, tile: g?.tile ?? null, box: g ? toPage(g.x0, g.y0, g.x1, g.y1) : toPage(c * cellPx, r * cellPx, (c + 1) * cellPx, (r + 1) * cellPx) });
    }
  }
  return { rows: ry.n, cols: rx.n, cells };
}
