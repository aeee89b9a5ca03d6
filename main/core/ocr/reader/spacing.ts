import type { Edge, Lattice } from './lattice';

/**
 * How far a gap between two glyphs departs from a plain letter gap because of the glyphs' shapes,
 * once their classes are known. The lattice measures gaps between ink boxes; a font spaces letters
 * by the white area between them, so a J's hook, a T's bar or an A's foot reach into the gap and
 * make it narrower than between two straight sides, and a digit narrower than the font's digit
 * cell (a 1 in tabular figures) leaves its cell's margin on both sides. The search takes these off
 * (or adds them to) the gap before deciding a space.
 */

/**
 * Per class: the gap after (right) and before (left) a glyph of that class, over a plain letter gap,
 * in units of the line's word-space threshold (negative: the shape reaches into the gap). Measured
 * on pages in the training fonts (mean over the lines read exactly, gaps inside words, rounded);
 * digits take their cell's margin from their width instead (`digitPad`).
 */
const RIGHT: Record<string, number> = { A: -0.1, K: -0.08, L: -0.08, R: -0.06, T: -0.1, V: -0.1, W: -0.1, X: -0.12, Y: -0.06, I: 0.06 };
const LEFT: Record<string, number> = { A: -0.12, J: -0.12, O: -0.05, T: -0.12, V: -0.12, W: -0.14, X: -0.12, Y: -0.14, C: -0.03, G: -0.02, Q: -0.03 };

/** The ink width of a digit cell over the line's typical character width (what 0, 2-9 at least fill: a narrower digit stands in a wider cell). */
export const DIGIT_CELL = 0.75;

export interface SpacingWeights {
  /** Scales the class table (0: gaps as measured). */
  shapeScale: number;
  digitCell: number;
}

export const DEFAULT_SPACING: SpacingWeights = { shapeScale: 1, digitCell: DIGIT_CELL };

const isDigit = (c: string) => c >= '0' && c <= '9';

/** A digit's margin each side in a cell as wide as the font's other digits, over the threshold. */
export function digitPad(lattice: Lattice, e: Edge, cell = DIGIT_CELL): number {
  const w = e.aspect * lattice.lineHeight;
  return Math.max(0, 0.5 * (cell * lattice.charWidth - w)) / Math.max(1, lattice.spaceGap);
}

/**
 * The gap between `prev` (class `a`) and `next` (class `b`), over the threshold, with the shapes'
 * reach taken into account: what the search compares with the word-space bounds.
 */
export function shapedGap(lattice: Lattice, gap: number, prev: Edge | null, a: string, next: Edge, b: string, w: SpacingWeights = DEFAULT_SPACING): number {
  let r = gap;
  if (prev && isDigit(a)) r -= digitPad(lattice, prev, w.digitCell);
  if (isDigit(b)) r -= digitPad(lattice, next, w.digitCell);
  r -= w.shapeScale * ((RIGHT[a] ?? 0) + (LEFT[b] ?? 0));
  return r;
}
