import type { Gray } from './types';

/** A ruling line darkens at least this share of a strip's row (a row through characters darkens less). */
const COVER = 0.6;

/**
 * Per row (`rows`) or column of a straightened grid: how much it looks like a ruling line, from the
 * grey levels (a faint thin line of a blurred photo is lost to a binary mask). The grid is cut across
 * into 8 strips; in each, a row's darkness against the paper is what 60% of its pixels reach (a line
 * covers the whole strip, a row of characters a part of it), the best of the row and its two
 * neighbours (a line bent by the lens wanders); the profile is the median over the strips.
 */
export function rulingProfile(gray: Gray, rows: boolean): Float64Array {
  const per = stripProfiles(gray, rows);
  const strips = per.length;
  const n = per[0]!.length;
  const out = new Float64Array(n);
  const vals = new Float64Array(strips);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < strips; s++) vals[s] = per[s]![i]!;
    vals.sort();
    out[i] = (vals[strips / 2 - 1]! + vals[strips / 2]!) / 2;
  }
  return out;
}

/** The ruling profile of each of the 8 strips across the grid (see `rulingProfile`). */
export function stripProfiles(gray: Gray, rows: boolean): Float64Array[] {
  const [n, len] = rows ? [gray.height, gray.width] : [gray.width, gray.height];
  const at = rows ? (i: number, k: number) => gray.data[i * gray.width + k]! : (i: number, k: number) => gray.data[k * gray.width + i]!;
  const strips = 8;
  // Paper: the 90th percentile of the whole image's grey levels.
  const hist = new Uint32Array(256);
  for (const v of gray.data) hist[v]!++;
  let acc = 0;
  let paper = 255;
  for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= 0.9 * gray.data.length) {
    paper = v;
    break;
  }
  const per = Array.from({ length: strips }, () => new Float64Array(n));
  for (let s = 0; s < strips; s++) {
    const k0 = Math.floor((s * len) / strips);
    const k1 = Math.floor(((s + 1) * len) / strips);
    const buf = new Uint8Array(k1 - k0);
    for (let i = 0; i < n; i++) {
      for (let k = k0; k < k1; k++) buf[k - k0] = at(i, k);
      buf.sort();
      per[s]![i] = Math.max(0, paper - buf[Math.floor(COVER * (buf.length - 1))]!);
    }
  }
  return per.map((p) => p.map((v, i) => Math.max(p[i - 1] ?? 0, v, p[i + 1] ?? 0)));
}

/**
 * The cells along one axis: counted on the median profile and on each strip's own (a grid on paper
 * that bends has lines that wander more across the whole grid than within one strip); the count most
 * of them agree on, the median profile's on a tie.
 */
export function cellsAcross(gray: Gray, rows: boolean): { from: number; to: number; n: number; votes: Map<number, number> } | null {
  const strips = stripProfiles(gray, rows);
  const whole = latticeAlong(rulingProfile(gray, rows));
  const votes = new Map<number, number>();
  for (const r of [whole, ...strips.map((p) => latticeAlong(p))]) if (r) votes.set(r.n, (votes.get(r.n) ?? 0) + 1);
  let n = whole?.n ?? 0;
  for (const [k, v] of votes) if (v > (votes.get(n) ?? 0)) n = k;
  return n ? { from: 0, to: (rows ? gray.height : gray.width) - 1, n, votes } : null;
}

/**
 * The cells along one axis of a straightened grid from its ruling profile: the grid's outer lines lie
 * at the two ends by construction; n cells are right when a line stands at each of the n - 1 places
 * in between (a peak within an eighth of a cell, above the paper within half a cell on either side by
 * at least a quarter of the lines' typical height). The most cells that fit are taken: a sudoku's thick lines
 * alone fit 3, its thin lines too fit 9, and 18 leaves half its places on the paper. Null when not
 * even one cell has lines at both ends.
 */
export function latticeAlong(profile: Float64Array, maxCells = 40): { from: number; to: number; n: number } | null {
  const L = profile.length;
  const peak = (c: number, tol: number) => {
    let m = 0;
    for (let i = Math.max(0, Math.round(c - tol)); i <= Math.min(L - 1, Math.round(c + tol)); i++) m = Math.max(m, profile[i]!);
    return m;
  };
  // The paper beside a line: the lightest place within half a cell on either side (the darker side counts).
  const lowest = (a: number, b: number) => {
    let m = Infinity;
    for (let i = Math.max(0, Math.round(a)); i <= Math.min(L - 1, Math.round(b)); i++) m = Math.min(m, profile[i]!);
    return m;
  };
  const max = Math.max(...profile);
  if (!(max > 0)) return null;
  let best: number | null = null;
  for (let n = 1; n <= maxCells; n++) {
    const step = (L - 1) / n;
    if (step < 6) break;
    const tol = Math.max(1.5, step / 8);
    const heights: number[] = [];
    for (let k = 1; k < n; k++) heights.push(peak(k * step, tol) - Math.max(lowest((k - 0.5) * step, k * step), lowest(k * step, (k + 0.5) * step)));
    if (!heights.length) {
      best ??= n;
      continue;
    }
    const typical = [...heights].sort((a, b) => a - b)[Math.floor(heights.length / 2)]!;
    if (typical < 0.15 * max) continue;
    if (heights.every((h) => h >= 0.25 * typical && h > 0)) best = n;
  }
  return best ? { from: 0, to: L - 1, n: best } : null;
}

/** Strips of a grid agreeing on the other axis's count make it square: a bent or blurred grid's faint lines lose most strips' votes, not all. */
const SQUARE_VOTES = 2;

/**
 * The counts of both axes, made equal when they differ and at least SQUARE_VOTES strips of one axis
 * counted the other's number of cells (a sudoku photographed bent reads 4 × 9 on the median
 * profile while two strips see its 9 rows); of two such, the count with more votes on both axes.
 */
export function squareUp(ry: { n: number; votes: Map<number, number> }, rx: { n: number; votes: Map<number, number> }): [number, number] {
  if (ry.n === rx.n) return [ry.n, rx.n];
  const total = (k: number) => (ry.votes.get(k) ?? 0) + (rx.votes.get(k) ?? 0);
  const toX = (ry.votes.get(rx.n) ?? 0) >= SQUARE_VOTES;
  const toY = (rx.votes.get(ry.n) ?? 0) >= SQUARE_VOTES;
  if (toX && (!toY || total(rx.n) >= total(ry.n))) return [rx.n, rx.n];
  if (toY) return [ry.n, ry.n];
  return [ry.n, rx.n];
}
