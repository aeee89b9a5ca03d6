import { connectedComponents } from './components';
import type { Mask } from './types';

/** A ruling line is at least this many times longer than it is thick (character strokes are stubbier). */
const MIN_ASPECT = 20;

/**
 * Removes long horizontal and vertical ruling lines (grids, underlines, table borders): pixels in a
 * horizontal (vertical) run of at least `minLength` are candidates; a connected group of candidates
 * that is long and thin (length ≥ minLength, length/thickness ≥ 20) is a line and becomes background.
 * A tall character's stroke is long but thick, so it stays; a character crossing a line loses only
 * the line's rows. Runs are measured with a one-pixel tolerance across, so lines made jagged by a
 * rotation still read as one run. Returns the cleaned mask and how many pixels were removed.
 */
export function removeRulingLines(mask: Mask, minLength: number): { mask: Mask; removed: number } {
  const { width: w, height: h, data } = mask;
  const L = Math.max(8, Math.round(minLength));
  // Horizontal: a row's pixel counts as on when it or its neighbour above or below is ink.
  const horiz = new Uint8Array(w * h);
  const vert = new Uint8Array(w * h);
  const band = new Uint8Array(Math.max(w, h));
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) band[x] = data[r + x]! | (y > 0 ? data[r - w + x]! : 0) | (y + 1 < h ? data[r + w + x]! : 0);
    let x = 0;
    while (x < w) {
      while (x < w && !band[x]) x++;
      const s0 = x;
      while (x < w && band[x]) x++;
      if (x - s0 >= L) for (let k = s0; k < x; k++) horiz[r + k] = data[r + k]!;
    }
  }
  // Vertical runs, scanned row by row (cache-friendly): per column, where its current run started.
  const start = new Int32Array(w).fill(-1);
  const closeRun = (x: number, y: number) => {
    const s0 = start[x]!;
    if (s0 >= 0 && y - s0 >= L) for (let k = s0; k < y; k++) vert[k * w + x] = data[k * w + x]!;
    start[x] = -1;
  };
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) {
      const on = data[r + x]! | (x > 0 ? data[r + x - 1]! : 0) | (x + 1 < w ? data[r + x + 1]! : 0);
      if (on) {
        if (start[x]! < 0) start[x] = y;
      } else if (start[x]! >= 0) closeRun(x, y);
    }
  }
  for (let x = 0; x < w; x++) closeRun(x, h);
  const anyH = horiz.includes(1);
  const anyV = vert.includes(1);
  if (!anyH && !anyV) return { mask, removed: 0 };
  // Thickness is measured on the whole ink, across the run: a sliver of a character's stroke that
  // happens to hold long runs is as thick as the stroke, a ruling line as thin as itself.
  let hrun: Uint16Array | null = null;
  let vrun: Uint16Array | null = null;
  const out = new Uint8Array(data);
  let removed = 0;
  const clearThin = (cand: Uint8Array, horizontal: boolean) => {
    if (!(horizontal ? anyH : anyV)) return;
    const lab = connectedComponents({ data: cand, width: w, height: h });
    const across: number[][] = lab.components.map(() => []);
    const runs = horizontal ? (vrun ??= runLengths(mask, false)) : (hrun ??= runLengths(mask, true));
    for (let i = 0; i < cand.length; i++) {
      const l = lab.labels[i]!;
      if (l) across[l - 1]!.push(runs[i]!);
    }
    const isLine = new Uint8Array(lab.components.length + 1);
    for (const c of lab.components) {
      const length = horizontal ? c.x1 - c.x0 : c.y1 - c.y0;
      const t = across[c.label - 1]!.sort((a, b) => a - b);
      const thickness = t[Math.floor(t.length / 2)] ?? 1;
      if (length >= L && length >= MIN_ASPECT * thickness) isLine[c.label] = 1;
    }
    for (let i = 0; i < cand.length; i++) {
      const l = lab.labels[i]!;
      if (l && isLine[l] && out[i]) {
        out[i] = 0;
        removed++;
      }
    }
  };
  clearThin(horiz, true);
  clearThin(vert, false);
  return { mask: { data: out, width: w, height: h }, removed };
}

/** For every ink pixel, the length of the horizontal (or vertical) ink run it belongs to. */
function runLengths(mask: Mask, horizontal: boolean): Uint16Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint16Array(w * h);
  const outer = horizontal ? h : w;
  const inner = horizontal ? w : h;
  const idx = horizontal ? (o: number, k: number) => o * w + k : (o: number, k: number) => k * w + o;
  for (let o = 0; o < outer; o++) {
    let start = -1;
    for (let k = 0; k <= inner; k++) {
      const on = k < inner && data[idx(o, k)] === 1;
      if (on && start < 0) start = k;
      else if (!on && start >= 0) {
        const len = Math.min(65535, k - start);
        for (let j = start; j < k; j++) out[idx(o, j)] = len;
        start = -1;
      }
    }
  }
  return out;
}
