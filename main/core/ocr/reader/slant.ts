import type { Labeling } from '../components';
import type { OrderedLine } from '../order';
import { median, type Glyph } from '../segment';

/** Slants tried (x shift per pixel of height; positive: the tops lean right) and the least that counts. */
const STEP = 0.05;
const MAX = 0.5;
const MIN_SLANT = 0.1;
/** How much sharper the sheared projection must be than the upright one for a slant to count. */
const MIN_GAIN = 1.02;

/** A line's baseline: the row slanted cuts are measured from. */
export function baseline(line: OrderedLine): number {
  const full = line.glyphs.filter((g) => g.y1 - g.y0 >= 0.8 * line.height);
  return Math.round(median((full.length ? full : line.glyphs).map((g) => g.y1)));
}

/** Glyphs that vote at most (evenly spread over the page): bounds the cost on a full page. */
const MAX_VOTERS = 80;

/**
 * The shear under which one glyph's column projection is sharpest (the sum of squared column counts
 * is largest: its vertical strokes stack); 0 unless clearly sharper than upright.
 */
function glyphSlant(g: Glyph, lab: Labeling, shearY: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  const set = new Set(g.labels);
  for (let y = g.y0; y < g.y1; y++) {
    for (let x = g.x0; x < g.x1; x++) {
      if (set.has(lab.labels[y * lab.width + x]!)) {
        xs.push(x - g.x0);
        ys.push(shearY - y);
      }
    }
  }
  let tall = 0;
  for (const y of ys) tall = Math.max(tall, Math.abs(y));
  const reach = Math.ceil(MAX * tall) + 1;
  const proj = new Int32Array(g.x1 - g.x0 + 2 * reach + 1);
  const score = (s: number) => {
    proj.fill(0);
    for (let i = 0; i < xs.length; i++) proj[xs[i]! + reach - Math.round(s * ys[i]!)]!++;
    let sum = 0;
    for (let i = 0; i < proj.length; i++) sum += proj[i]! * proj[i]!;
    return sum;
  };
  const upright = score(0);
  let best = 0;
  let bestScore = upright;
  for (let k = -Math.round(MAX / STEP); k <= Math.round(MAX / STEP); k++) {
    const s = k * STEP;
    if (!k) continue;
    const v = score(s);
    if (v > bestScore) {
      best = s;
      bestScore = v;
    }
  }
  return bestScore >= MIN_GAIN * upright ? best : 0;
}

/**
 * The slant of a page's strokes (italic print, slanted handwriting): the median of its full-height
 * glyphs' own slants, each the shear that stacks its strokes best. Upright letters with a stem (E, H,
 * N, T) vote 0, so a line of diagonal letters (WAVY, whose strokes stack under a shear of their own)
 * does not make an upright page slanted; on a slanted page every stem votes for the slant. 0 below
 * MIN_SLANT. The lattice cuts touching characters of a slanted page along the slant.
 */
export function pageSlant(lines: OrderedLine[], lab: Labeling): number {
  const glyphs = lines.flatMap((l) => {
    const shearY = baseline(l); // once per line, not per glyph
    return l.glyphs.filter((g) => g.y1 - g.y0 >= 0.8 * l.height).map((g) => ({ g, shearY }));
  });
  if (!glyphs.length) return 0;
  const every = Math.max(1, glyphs.length / MAX_VOTERS);
  const votes: number[] = [];
  for (let i = 0; i < glyphs.length; i += every) votes.push(glyphSlant(glyphs[Math.floor(i)]!.g, lab, glyphs[Math.floor(i)]!.shearY));
  const s = median(votes);
  return Math.abs(s) >= MIN_SLANT ? Math.round(s / STEP) * STEP : 0;
}
