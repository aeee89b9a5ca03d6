import type { Component, Labeling } from './components';
import { typicalHeight } from './components';

/**
 * A character candidate: the union of some components' pixels, optionally clipped to a column range
 * (pieces of touching characters that were split). Edges are exclusive on the right and bottom.
 */
export interface Glyph {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  labels: number[];
  clipX0: number;
  clipX1: number;
  /**
   * Cut along slanted lines (italic print, handwriting): when set, the clip columns are in sheared
   * coordinates u = x - round(shear · (shearY - y)), so a cut follows the strokes' slant.
   */
  shear?: number;
  shearY?: number;
}

/** The pixel columns [from, to) of row y that lie inside the glyph's clip. */
export function clipRow(g: Glyph, y: number): [number, number] {
  const off = g.shear ? Math.round(g.shear * ((g.shearY ?? 0) - y)) : 0;
  return [Math.max(g.x0, g.clipX0 + off), Math.min(g.x1, g.clipX1 + off)];
}

export interface TextLine {
  glyphs: Glyph[];
  /** Median glyph height: the line's character height. */
  height: number;
}

const h = (g: { y0: number; y1: number }) => g.y1 - g.y0;
const w = (g: { x0: number; x1: number }) => g.x1 - g.x0;

function fromComponent(c: Component): Glyph {
  return { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, labels: [c.label], clipX0: c.x0, clipX1: c.x1 };
}

function mergeInto(a: Glyph, b: Glyph): void {
  a.x0 = Math.min(a.x0, b.x0);
  a.y0 = Math.min(a.y0, b.y0);
  a.x1 = Math.max(a.x1, b.x1);
  a.y1 = Math.max(a.y1, b.y1);
  a.labels.push(...b.labels);
  a.clipX0 = Math.min(a.clipX0, b.clipX0);
  a.clipX1 = Math.max(a.clipX1, b.clipX1);
}

function xOverlap(a: Glyph, b: Glyph): number {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

export interface SegmentOptions {
  /** Components below this height relative to the page's typical character are noise unless they join a character. */
  minRelativeHeight?: number;
}

/**
 * From components to character candidates grouped in lines (reading order is `orderLines`):
 * 1. drop specks and page-sized blobs; the page's typical character height is the median height;
 * 2. merge parts stacked above each other (a character broken by a ruling line or a faint scan);
 * 3. group into lines (`groupLines`), attach small parts that overlap a line's character, drop the
 *    rest as noise relative to the line's character height;
 * Glyphs wider than a character (touching characters) stay whole: the reader's lattice cuts them.
 */
export function segment(lab: Labeling, opts: SegmentOptions = {}): TextLine[] {
  const pageH = lab.height;
  const pageW = lab.width;
  const comps = lab.components.filter((c) => c.area >= 3 && !(h(c) > 0.8 * pageH && w(c) > 0.8 * pageW));
  const typical = typicalHeight(comps, pageH);
  if (!typical) return [];
  const minRel = opts.minRelativeHeight ?? 0.4;
  const big: Glyph[] = [];
  const small: Glyph[] = [];
  for (const c of comps) {
    if (h(c) > 6 * typical && w(c) > 6 * typical) continue; // pictures, logos, blobs
    (h(c) >= minRel * typical ? big : small).push(fromComponent(c));
  }
  // Slivers (left-overs of ruling lines, page edges) are far thinner than any character.
  const merged = mergeStacked(big, typical).filter((g) => w(g) > Math.max(1, 0.08 * h(g)) && h(g) > Math.max(1, 0.05 * w(g)));
  const lines = groupLines(merged);
  attachParts(lines, small);
  const out: TextLine[] = [];
  for (const line of lines) {
    let lh = median(line.map(h));
    const kept = line.filter((g) => h(g) >= 0.45 * lh && h(g) <= 3 * lh && w(g) > Math.max(1, 0.08 * lh));
    if (!kept.length) continue;
    lh = median(kept.map(h));
    out.push({ glyphs: mergeOverlapping(kept), height: lh });
  }
  return out;
}

/** Merges glyphs lying above each other (x-overlap ≥ half the narrower, small vertical gap, not too tall together). */
export function mergeStacked(glyphs: Glyph[], typical: number): Glyph[] {
  const gs = [...glyphs].sort((a, b) => a.x0 - b.x0);
  const alive = gs.map(() => true);
  for (let i = 0; i < gs.length; i++) {
    if (!alive[i]) continue;
    const a = gs[i]!;
    for (let j = i + 1; j < gs.length; j++) {
      const b = gs[j]!;
      if (b.x0 >= a.x1) break;
      if (!alive[j]) continue;
      const ov = xOverlap(a, b);
      if (ov < 0.5 * Math.min(w(a), w(b))) continue;
      const gap = Math.max(a.y0, b.y0) - Math.min(a.y1, b.y1);
      const together = Math.max(a.y1, b.y1) - Math.min(a.y0, b.y0);
      // Parts of one broken character: close, and neither already (nearly) the whole height. A full
      // character with something small above or below (a plate's small print) stays apart.
      const partial = Math.max(h(a), h(b)) < 0.8 * together;
      if (gap <= 0.3 * typical && partial && together <= 1.4 * Math.max(typical, h(a), h(b))) {
        mergeInto(a, b);
        alive[j] = false;
        j = i; // the merged box may now reach more parts
      }
    }
  }
  return gs.filter((_, i) => alive[i]);
}

/**
 * Groups glyphs into lines, robust to remaining skew and mixed heights: glyphs are visited left to
 * right and join the line whose latest glyph they overlap most vertically (at least half the smaller
 * height, heights within a factor of 3), else start a new line.
 */
export function groupLines(glyphs: Glyph[]): Glyph[][] {
  const gs = [...glyphs].sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
  const lines: { glyphs: Glyph[]; last: Glyph; lastY0: number; lastY1: number }[] = [];
  for (const g of gs) {
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const lh = l.lastY1 - l.lastY0;
      const ov = Math.min(g.y1, l.lastY1) - Math.max(g.y0, l.lastY0);
      const ratio = h(g) / lh;
      if (ov < 0.5 * Math.min(h(g), lh) || ratio > 3 || ratio < 1 / 3) continue;
      const gap = g.x0 - l.last.x1;
      const score = ov / Math.max(h(g), lh) - Math.max(0, gap) / (50 * lh);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) lines.push({ glyphs: [g], last: g, lastY0: g.y0, lastY1: g.y1 });
    else {
      const l = lines[best]!;
      l.glyphs.push(g);
      // The band follows the line (skew), smoothed over the glyphs' heights.
      if (h(g) >= 0.6 * (l.lastY1 - l.lastY0)) {
        l.last = g;
        l.lastY0 = g.y0;
        l.lastY1 = g.y1;
      } else l.last = g;
    }
  }
  return lines.map((l) => l.glyphs);
}

/** Small parts (broken strokes) join the glyph of a line they overlap horizontally and sit next to vertically. */
function attachParts(lines: Glyph[][], parts: Glyph[]): void {
  for (const p of parts) {
    let target: Glyph | null = null;
    let bestOv = 0;
    for (const line of lines) {
      for (const g of line) {
        const ov = xOverlap(p, g);
        if (ov <= 0 || ov < 0.5 * w(p)) continue;
        const gap = Math.max(p.y0, g.y0) - Math.min(p.y1, g.y1);
        if (gap > 0.3 * h(g)) continue;
        const together = Math.max(p.y1, g.y1) - Math.min(p.y0, g.y0);
        if (together > 1.15 * h(g)) continue;
        if (ov > bestOv) {
          bestOv = ov;
          target = g;
        }
      }
    }
    if (target) mergeInto(target, p);
  }
}

/** Within a line: glyphs that overlap horizontally by more than half the narrower are one character. */
function mergeOverlapping(glyphs: Glyph[]): Glyph[] {
  const gs = [...glyphs].sort((a, b) => a.x0 - b.x0);
  const out: Glyph[] = [];
  for (const g of gs) {
    const prev = out[out.length - 1];
    if (prev && xOverlap(prev, g) > 0.5 * Math.min(w(prev), w(g))) mergeInto(prev, g);
    else out.push(g);
  }
  return out;
}

export function columnInk(g: Glyph, lab: Labeling): Float64Array {
  return shearedInk(g, lab, 0, 0).cols;
}

/** Ink per sheared column u = x - round(shear · (shearY - y)) of the glyph's box; `u0` is the first column's u. */
export function shearedInk(g: Glyph, lab: Labeling, shear: number, shearY: number): { cols: Float64Array; u0: number } {
  const offs = [g.y0, g.y1 - 1].map((y) => Math.round(shear * (shearY - y)));
  const u0 = g.x0 - Math.max(...offs);
  const cols = new Float64Array(g.x1 - Math.min(...offs) - u0);
  const set = new Set(g.labels);
  for (let y = g.y0; y < g.y1; y++) {
    const off = Math.round(shear * (shearY - y));
    for (let x = g.x0; x < g.x1; x++) {
      if (set.has(lab.labels[y * lab.width + x]!)) cols[x - off - u0]!++;
    }
  }
  return { cols, u0 };
}

/** Shrinks a glyph's box to its own pixels within its clip columns. */
export function tighten(g: Glyph, lab: Labeling): Glyph {
  const set = new Set(g.labels);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = g.y0; y < g.y1; y++) {
    const [from, to] = clipRow(g, y);
    for (let x = from; x < to; x++) {
      if (set.has(lab.labels[y * lab.width + x]!)) {
        if (x < x0) x0 = x;
        if (x + 1 > x1) x1 = x + 1;
        if (y < y0) y0 = y;
        if (y + 1 > y1) y1 = y + 1;
      }
    }
  }
  if (x1 < 0) return { ...g, x1: g.x0, y1: g.y0 };
  return { ...g, x0, y0, x1, y1 };
}

/** The glyph's own pixels as a white-on-black image of its box plus `pad` pixels each side (255 ink, 0 elsewhere). */
export function glyphImage(g: Glyph, lab: Labeling, pad = 0): { px: Uint8Array; width: number; height: number } {
  const gw = g.x1 - g.x0 + 2 * pad;
  const gh = g.y1 - g.y0 + 2 * pad;
  const px = new Uint8Array(gw * gh);
  const set = g.labels.length === 1 ? null : new Set(g.labels);
  const one = g.labels[0]!;
  for (let y = g.y0; y < g.y1; y++) {
    const [cx0, cx1] = clipRow(g, y);
    for (let x = cx0; x < cx1; x++) {
      const l = lab.labels[y * lab.width + x]!;
      if (l && (set ? set.has(l) : l === one)) px[(y - g.y0 + pad) * gw + (x - g.x0 + pad)] = 255;
    }
  }
  return { px, width: gw, height: gh };
}
