/**
 * What a person knows about a sudoku, used as a reading constraint: its cells hold the digits 1-9
 * (never 0), and each digit stands at most once in a row, a column and a 3×3 box. The filled cells
 * are read jointly: the digits that together are likeliest under the classifier, paying for each
 * repeat in a row, column or box. A repeat is a cost, not a ban: two readings the classifier is
 * sure of stand even when they clash (a person's wrong entry in pen is still what the page says).
 */

/** One filled cell: its place and the classifier's probabilities of the digits 1..9 (index 0 is 1). */
export interface SudokuCell {
  row: number;
  col: number;
  probs: ArrayLike<number>;
}

/** A repeat of a digit in a row, column or box costs this much log-probability (a reading ~3,000× likelier than its next one holds). */
export const CLASH_COST = 8;
/** The search gives up improving after this many nodes (keeping its best reading so far; most grids need a few hundred). */
const MAX_NODES = 50_000;
/** Log-probabilities are taken of p + FLOOR (a classifier's 0 is not an impossibility). */
const FLOOR = 1e-6;

/** A grid of 9 × 9 cells may be a sudoku; whether it is also depends on its content (digits). */
export function sudokuShaped(rows: number, cols: number): boolean {
  return rows === 9 && cols === 9;
}

/** The three units (row, column, box) of a cell, numbered 0..26. */
function unitsOf(row: number, col: number): [number, number, number] {
  return [row, 9 + col, 18 + Math.floor(row / 3) * 3 + Math.floor(col / 3)];
}

/**
 * The digit (1..9) of each filled cell, in the order given: the assignment maximizing the sum of
 * the cells' log-probabilities minus CLASH_COST per repeated digit in a unit. Branch and bound, the
 * surest cells first, each cell's digits best first: the first reading found is the greedy one, and
 * a branch is cut once even its cells' best digits cannot beat the best reading so far.
 */
export function sudokuDigits(cells: SudokuCell[]): number[] {
  const n = cells.length;
  const lp = cells.map((c) => {
    let mass = 0;
    for (let d = 0; d < 9; d++) mass += c.probs[d]!;
    return Array.from({ length: 9 }, (_, d) => Math.log(c.probs[d]! / Math.max(mass, 1e-12) + FLOOR));
  });
  const prefs = lp.map((l) => [0, 1, 2, 3, 4, 5, 6, 7, 8].sort((a, b) => l[b]! - l[a]!));
  const units = cells.map((c) => unitsOf(c.row, c.col));
  const order = [...Array(n).keys()].sort((a, b) => lp[b]![prefs[b]![0]!]! - lp[a]![prefs[a]![0]!]!);
  // The best the cells from k on could add: each its own best digit.
  const rest = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) rest[k] = rest[k + 1]! + lp[order[k]!]![prefs[order[k]!]![0]!]!;
  const count = new Uint8Array(27 * 9);
  const assign = new Int8Array(n);
  let best: Int8Array | null = null;
  let bestScore = -Infinity;
  let nodes = 0;
  const visit = (k: number, score: number): void => {
    if (++nodes > MAX_NODES || score + rest[k]! <= bestScore) return;
    if (k === n) {
      bestScore = score;
      best = assign.slice();
      return;
    }
    const i = order[k]!;
    const [a, b, c] = units[i]!;
    for (const d of prefs[i]!) {
      const clashes = count[a * 9 + d]! + count[b * 9 + d]! + count[c * 9 + d]!;
      count[a * 9 + d]!++;
      count[b * 9 + d]!++;
      count[c * 9 + d]!++;
      assign[i] = d;
      visit(k + 1, score + lp[i]![d]! - CLASH_COST * clashes);
      count[a * 9 + d]!--;
      count[b * 9 + d]!--;
      count[c * 9 + d]!--;
    }
  };
  visit(0, 0);
  const chosen: Int8Array = best ?? Int8Array.from(prefs.map((p) => p[0]!));
  return Array.from(chosen, (d) => d + 1);
}
