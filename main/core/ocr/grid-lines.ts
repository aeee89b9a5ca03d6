import type { Mask } from './types';

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
export function longRuns(m: Mask, rows: boolean): Float64Array {
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
