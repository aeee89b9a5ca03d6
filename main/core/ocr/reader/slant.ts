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
  const score = (s: number) => {
    const proj = new Map<number, number>();
    for (const g of full) {
      const set = new Set(g.labels);
      for (let y = g.y0; y < g.y1; y++) {
        const off = Math.round(s * (shearY - y));
        for (let x = g.x0; x < g.x1; x++) if (set.has(lab.labels[y * lab.width + x]!)) proj.set(x - off, (proj.get(x - off) ?? 0) + 1);
      }
    }
    let sum = 0;
    for (const v of proj.values()) sum += v * v;
    return sum;
  };
  const upright = score(0);
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
