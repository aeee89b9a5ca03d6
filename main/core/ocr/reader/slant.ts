import type { Labeling } from '../components';
import type { OrderedLine } from '../order';
import { median } from '../segment';

/** Slants tried (x shift per pixel of height; positive: the tops lean right) and the least that counts. */
const STEP = 0.05;
const MAX = 0.5;
const MIN_SLANT = 0.1;
/** How much sharper the sheared projection must be than the upright one for a slant to count. */
const MIN_GAIN = 1.02;

/**
 * The slant of a line's strokes (italic print, slanted handwriting): the shear under which the
 * column projection of its full-height glyphs is sharpest (the sum of squared column counts is
 * largest: vertical strokes stack). 0 for upright text, or when no slant is clearly sharper. The
 * lattice cuts touching characters of a slanted line along the slant (`shearY` is the baseline).
 */
export function lineSlant(line: OrderedLine, lab: Labeling): { shear: number; shearY: number } {
  const full = line.glyphs.filter((g) => g.y1 - g.y0 >= 0.8 * line.height);
  const shearY = Math.round(median(full.map((g) => g.y1)));
  if (!full.length) return { shear: 0, shearY };
  // The ink pixels once (labels looked up once), then one projection per slant tried.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const g of full) {
    const one = g.labels.length === 1 ? g.labels[0]! : -1;
    const set = one < 0 ? new Set(g.labels) : null;
    for (let y = g.y0; y < g.y1; y++) {
      for (let x = g.x0; x < g.x1; x++) {
        const l = lab.labels[y * lab.width + x]!;
        if (l && (set ? set.has(l) : l === one)) {
          xs.push(x);
          ys.push(shearY - y);
        }
      }
    }
  }
  const x0 = Math.min(...full.map((g) => g.x0));
  let tall = 0;
  for (const y of ys) tall = Math.max(tall, Math.abs(y));
  const reach = Math.ceil(MAX * tall) + 1;
  const proj = new Int32Array(Math.max(...full.map((g) => g.x1)) - x0 + 2 * reach + 1);
  const score = (s: number) => {
    proj.fill(0);
    for (let i = 0; i < xs.length; i++) proj[xs[i]! - x0 + reach - Math.round(s * ys[i]!)]!++;
    let sum = 0;
    for (let i = 0; i < proj.length; i++) sum += proj[i]! * proj[i]!;
    return sum;
  };
  const upright = score(0);
  // Upright strokes (most print) are sharpest at 0 and duller either side: checked with two slants first.
  const probe = 3 * STEP;
  const side = Math.max(score(probe), score(-probe));
  if (side <= upright) return { shear: 0, shearY };
  let best = 0;
  let bestScore = upright;
  for (let k = -Math.round(MAX / STEP); k <= Math.round(MAX / STEP); k++) {
    const s = k * STEP;
    if (Math.abs(s) < MIN_SLANT) continue;
    const v = score(s);
    if (v > bestScore) {
      best = s;
      bestScore = v;
    }
  }
  return { shear: bestScore >= MIN_GAIN * upright ? best : 0, shearY };
}
