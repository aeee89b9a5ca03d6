import type { OrderedLine } from './order';
import { median } from './segment';
import type { Mask } from './types';

/**
 * The band of the main line (a plate number, a heading): two straight lines fitted to its characters'
 * tops and bottoms, so a remaining tilt or a slight perspective is followed, and the page cut to it.
 */
const gh = (g: { y0: number; y1: number }) => g.y1 - g.y0;

export interface Band {
  /** top(x) = topA + topB·x, bottom(x) = botA + botB·x (page pixels). */
  topA: number;
  topB: number;
  botA: number;
  botB: number;
  /** Character height at the band's centre. */
  height: number;
}

/** Least squares y = a + b·x, refitted once without points farther than `tol` from the first fit. */
function robustFit(xs: number[], ys: number[], tol: number): { a: number; b: number } {
  const fit = (idx: number[]) => {
    const n = idx.length;
    if (n === 0) return { a: 0, b: 0 };
    if (n === 1) return { a: ys[idx[0]!]!, b: 0 };
    let sx = 0;
    let sy = 0;
    for (const i of idx) {
      sx += xs[i]!;
      sy += ys[i]!;
    }
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let sxy = 0;
    for (const i of idx) {
      sxx += (xs[i]! - mx) ** 2;
      sxy += (xs[i]! - mx) * (ys[i]! - my);
    }
    // Tilts beyond ~8° are not a band of one line: keep it flat then.
    const b = sxx > 0 ? Math.max(-0.15, Math.min(0.15, sxy / sxx)) : 0;
    return { a: my - b * mx, b };
  };
  const all = xs.map((_, i) => i);
  // Start from the median level: a fit through an outlier (a logo's top) would tilt the band.
  const med = median(ys);
  const near = all.filter((i) => Math.abs(ys[i]! - med) <= tol);
  const first = fit(near.length >= 2 ? near : all);
  const inliers = all.filter((i) => Math.abs(ys[i]! - (first.a + first.b * xs[i]!)) <= tol);
  return inliers.length >= 2 ? fit(inliers) : first;
}

/** The band of a line: top and bottom edges fitted to its full-height characters; null with fewer than two. */
export function fitBand(line: OrderedLine): Band | null {
  const core = line.glyphs.filter((g) => gh(g) >= 0.8 * line.height && gh(g) <= 1.25 * line.height);
  if (core.length < 2) return null;
  const xs = core.map((g) => (g.x0 + g.x1) / 2);
  const tol = Math.max(2, 0.08 * line.height);
  const top = robustFit(xs, core.map((g) => g.y0), tol);
  const bot = robustFit(xs, core.map((g) => g.y1), tol);
  const cx = median(xs);
  const height = bot.a + bot.b * cx - (top.a + top.b * cx);
  if (!(height > 2)) return null;
  return { topA: top.a, topB: top.b, botA: bot.a, botB: bot.b, height };
}

/**
 * The page's ink between the band's edges (plus `margin` pixels), nothing elsewhere. Near the edges
 * (the outer 15% of the band), horizontal runs longer than any character (1.3 × the band's height)
 * are what was left of a frame, a dark stripe or a state name the characters touched: cleared.
 */
export function cutToBand(mask: Mask, band: Band, margin: number): { mask: Mask; rows: Int32Array[] } {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  const from = new Int32Array(w);
  const to = new Int32Array(w);
  let yMin = h;
  let yMax = 0;
  for (let x = 0; x < w; x++) {
    const y0 = Math.max(0, Math.floor(band.topA + band.topB * x - margin));
    const y1 = Math.min(h, Math.ceil(band.botA + band.botB * x + margin));
    from[x] = y0;
    to[x] = Math.max(y0, y1);
    yMin = Math.min(yMin, y0);
    yMax = Math.max(yMax, y1);
    for (let y = y0; y < y1; y++) out[y * w + x] = data[y * w + x]!;
  }
  const edge = 0.15 * band.height + margin;
  const longRun = 1.3 * band.height;
  for (let y = yMin; y < yMax; y++) {
    const row = y * w;
    let x = 0;
    while (x < w) {
      while (x < w && !out[row + x]) x++;
      const s0 = x;
      while (x < w && out[row + x]) x++;
      if (x - s0 <= longRun) continue;
      for (let k = s0; k < x; k++) if (y < from[k]! + edge || y >= to[k]! - edge) out[row + k] = 0;
    }
  }
  return { mask: { data: out, width: w, height: h }, rows: [from, to] };
}
