import { connectedComponents, type Component, type Labeling } from './components';
import { cutToBand, type Band } from './mainline-band';
import { median, segment, type Glyph } from './segment';
import type { Gray, Mask } from './types';

/**
 * One band of the page read as the main line: the page is cut to the band and labelled again, so
 * characters that touched a frame, a sticker or a state name above or below come free. In the band,
 * what is not a character of the line is dropped: pieces of frames running through it, small print
 * and dashes, emblems (a picture holds many separate parts; a character holds at most a few) and
 * silhouettes (solid where characters are strokes).
 */

const gh = (g: { y0: number; y1: number }) => g.y1 - g.y0;
const gw = (g: { x0: number; x1: number }) => g.x1 - g.x0;

/**
 * A part of the band that is a frame or a border running through it: ink that goes on beyond the
 * band both above and below over most of the part's columns (a character ends inside the band).
 */
function runsThrough(c: Component, mask: Mask, from: Int32Array, to: Int32Array): boolean {
  const { width: w, height: h, data } = mask;
  let cols = 0;
  let through = 0;
  for (let x = c.x0; x < c.x1; x++) {
    cols++;
    const above = from[x]! - 1;
    const below = to[x]!;
    if (above < 0 || below >= h) continue;
    const inkAt = (y: number) => data[y * w + x] || (x > 0 && data[y * w + x - 1]) || (x + 1 < w && data[y * w + x + 1]);
    if (inkAt(above) && inkAt(below)) through++;
  }
  return cols > 0 && through >= 0.5 * cols;
}

/** Components of `lab` lying inside the glyph's box that are not the glyph's own (specks excluded). */
function foreignParts(g: Glyph, lab: Labeling, minArea: number): number {
  const own = new Set(g.labels);
  let n = 0;
  for (const c of lab.components) {
    if (own.has(c.label) || c.area < minArea) continue;
    if (c.x0 >= g.x0 && c.x1 <= g.x1 && c.y0 >= g.y0 && c.y1 <= g.y1) n++;
  }
  return n;
}

/** Pixels of the glyph's own components inside its box and clip columns. */
function inkArea(g: Glyph, lab: Labeling): number {
  const own = new Set(g.labels);
  const x0 = Math.max(g.x0, g.clipX0);
  const x1 = Math.min(g.x1, g.clipX1);
  let n = 0;
  for (let y = g.y0; y < g.y1; y++) for (let x = x0; x < x1; x++) if (own.has(lab.labels[y * lab.width + x]!)) n++;
  return n;
}

/** Horizontal ink runs of the glyph: how many per row on average, and their median length. */
export function runStats(g: Glyph, lab: Labeling): { perRow: number; medianRun: number } {
  const own = new Set(g.labels);
  const x0 = Math.max(g.x0, g.clipX0);
  const x1 = Math.min(g.x1, g.clipX1);
  const lengths: number[] = [];
  let rows = 0;
  for (let y = g.y0; y < g.y1; y++) {
    let run = 0;
    let any = false;
    for (let x = x0; x <= x1; x++) {
      const on = x < x1 && own.has(lab.labels[y * lab.width + x]!);
      if (on) run++;
      else if (run) {
        lengths.push(run);
        run = 0;
        any = true;
      }
    }
    if (any) rows++;
  }
  return { perRow: rows ? lengths.length / rows : 0, medianRun: median(lengths) };
}

/** Otsu's level over the gray pixels between the band's rows (the plate's own histogram). */
export function bandOtsu(gray: Gray, from: Int32Array, to: Int32Array): number {
  const hist = new Float64Array(256);
  let n = 0;
  for (let x = 0; x < gray.width; x++) {
    for (let y = from[x]!; y < to[x]!; y++) {
      hist[gray.data[y * gray.width + x]!]!++;
      n++;
    }
  }
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t]!;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestT = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = n - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const between = wB * wF * (sumB / wB - (sumAll - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

/** Ink of the gray page at level t (dark ink, or light ink when `light`), as a mask. */
export function threshold(gray: Gray, t: number, light: boolean): Mask {
  const out = new Uint8Array(gray.data.length);
  const d = gray.data;
  if (light) for (let i = 0; i < d.length; i++) out[i] = d[i]! >= t ? 1 : 0;
  else for (let i = 0; i < d.length; i++) out[i] = d[i]! <= t ? 1 : 0;
  return { data: out, width: gray.width, height: gray.height };
}

/** Reads the band of `mask`: the characters of the line and how many full-height ones there are. */
export function readBand(mask: Mask, band: Band): { lab: Labeling; glyphs: Glyph[]; score: number } {
  const H = band.height;
  const margin = Math.max(1, Math.round(0.04 * H));
  const { mask: cut, rows } = cutToBand(mask, band, margin);
  const [from, to] = rows as [Int32Array, Int32Array];
  const full = connectedComponents(cut);
  const minArea = Math.max(3, Math.round(0.002 * H * H));
  // Frames running through the band are not characters; specks are nothing.
  const kept = full.components.filter((c) => c.area >= minArea && !(gw(c) < 0.35 * H && runsThrough(c, mask, from, to)));
  const lab: Labeling = { ...full, components: kept };
  // Within the band its characters are the tallest things: the page's own height (which bounds a
  // text line's height for `segment`) would drop characters taller than 60% of a tight crop.
  const lines = segment({ ...lab, height: Math.max(lab.height, Math.ceil(2 * H)) }, { minRelativeHeight: 0.3 });
  const bandH = (g: Glyph) => {
    const cx = (g.x0 + g.x1) / 2;
    return band.botA + band.botB * cx - (band.topA + band.topB * cx);
  };
  // The band's line: the one whose glyphs cover most of the band's height where they stand.
  let best: Glyph[] = [];
  let bestScore = 0;
  for (const l of lines) {
    const glyphs = l.glyphs.filter((g) => {
      if (gh(g) < 0.72 * bandH(g)) return false; // small print, dashes, bolts, stickers' text
      if (g.labels.length > 4 || foreignParts(g, full, minArea) > 2) return false; // an emblem or a picture
      return inkArea(g, full) < 0.85 * gw(g) * gh(g); // a solid block (a sticker) is no character
    });
    const score = glyphs.reduce((a, g) => a + gh(g), 0);
    if (score > bestScore) {
      bestScore = score;
      best = glyphs;
    }
  }
  // Drawings (emblems, a state's picture) are made of many thin strokes; characters of a few of
  // the line's own stroke width.
  const stats = best.map((g) => runStats(g, full));
  const stroke = median(stats.map((st) => st.medianRun));
  best = best.filter((_, i) => stats[i]!.perRow <= 3.2 && stats[i]!.medianRun >= 0.5 * stroke && stats[i]!.medianRun <= 2.5 * stroke);
  // Silhouettes (a horse and rider, a palm, an orange) are solid where characters are strokes, and
  // wider than the line's characters.
  const medW = median(best.map(gw));
  best = best.filter((g) => gw(g) <= 1.5 * medW || solidShare(g, full, stroke) <= 0.4);
  // Characters of the line: as tall as the band and standing on its edges.
  const score = best.filter((g) => {
    const cx = (g.x0 + g.x1) / 2;
    const top = band.topA + band.topB * cx;
    const bot = band.botA + band.botB * cx;
    return Math.abs(g.y0 - top) <= 0.12 * H + margin && Math.abs(g.y1 - bot) <= 0.12 * H + margin && gw(g) <= 1.2 * H;
  }).length;
  return { lab: full, glyphs: best, score };
}


export interface BandReading {
  band: Band;
  lab: Labeling;
  glyphs: Glyph[];
  /** Characters standing on both of the band's edges. */
  score: number;
}

/**
 * The band's ink taken from the page's mask and, when given the gray page, from global levels over
 * the band's own pixels (Otsu and darker): a picture behind the characters (mountains, a skyline) is
 * lighter than they are, and an adaptive threshold can hollow out thick strokes. The reading with the
 * most characters standing on the band's edges wins (ties: the page's mask).
 */
export function readBandLevels(mask: Mask, band: Band, gray?: Gray): BandReading {
  let best = readBand(mask, band);
  if (gray) {
    const margin = Math.max(1, Math.round(0.04 * band.height));
    const [from, to] = cutToBand(mask, band, margin).rows as [Int32Array, Int32Array];
    // Which way the ink goes: compare the mask's ink with its paper inside the band.
    let inkSum = 0;
    let inkN = 0;
    let paperSum = 0;
    let paperN = 0;
    for (let x = 0; x < gray.width; x++) {
      for (let y = from[x]!; y < to[x]!; y++) {
        const i = y * gray.width + x;
        if (mask.data[i]) {
          inkSum += gray.data[i]!;
          inkN++;
        } else {
          paperSum += gray.data[i]!;
          paperN++;
        }
      }
    }
    const light = inkN > 0 && paperN > 0 && inkSum / inkN > paperSum / paperN;
    const o = bandOtsu(gray, from, to);
    const levels = light ? [o, o + 0.25 * (255 - o), o + 0.5 * (255 - o)] : [o, 0.75 * o, 0.5 * o];
    for (const t of levels) {
      const r = readBand(threshold(gray, Math.round(t), light), band);
      if (r.score > best.score) best = r;
    }
  }
  return { band, ...best };
}

/**
 * Share of the glyph's ink that lies in solid parts: pixels whose horizontal and vertical ink runs
 * are both longer than `stroke` × 2.2. A character is strokes (only corners and joins are thicker);
 * a silhouette (a horse and rider, a palm, an orange) is mostly solid. (Dense diagonals, as in a
 * bold W or M, can be as solid: a picture is told by its width too, see `readBand`.)
 */
export function solidShare(g: Glyph, lab: Labeling, stroke: number): number {
  const own = new Set(g.labels);
  const x0 = Math.max(g.x0, g.clipX0);
  const w = Math.min(g.x1, g.clipX1) - x0;
  const h = g.y1 - g.y0;
  if (w <= 0 || h <= 0) return 0;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ink[y * w + x] = own.has(lab.labels[(g.y0 + y) * lab.width + x0 + x]!) ? 1 : 0;
  // Per pixel, the ink run through it across (hr) and down (vr).
  const hr = new Uint16Array(w * h);
  const vr = new Uint16Array(w * h);
  const runs = (len: number, step: number, count: number, stride: number, out: Uint16Array) => {
    for (let line = 0; line < count; line++) {
      const base = line * stride;
      for (let k = 0; k < len; ) {
        if (!ink[base + k * step]) {
          k++;
          continue;
        }
        let e = k;
        while (e < len && ink[base + e * step]) e++;
        for (let j = k; j < e; j++) out[base + j * step] = e - k;
        k = e;
      }
    }
  };
  runs(w, 1, h, w, hr);
  runs(h, w, w, 1, vr);
  const lim = 2.2 * stroke;
  let n = 0;
  let solid = 0;
  for (let i = 0; i < w * h; i++) {
    if (!ink[i]) continue;
    n++;
    if (hr[i]! > lim && vr[i]! > lim) solid++;
  }
  return n ? solid / n : 0;
}

/**
 * Whether the glyph's ink goes on beyond the band (above or below, on at least half its columns):
 * a frame's side or a border the band cut through, where a character ends at the band's edges.
 */
export function continuesBeyond(g: Glyph, mask: Mask, band: Band): boolean {
  const margin = Math.max(1, Math.round(0.04 * band.height));
  const { width: w, height: h, data } = mask;
  let above = 0;
  let below = 0;
  let cols = 0;
  for (let x = Math.max(0, g.x0); x < Math.min(w, g.x1); x++) {
    cols++;
    const yt = Math.floor(band.topA + band.topB * x - margin) - 2;
    const yb = Math.ceil(band.botA + band.botB * x + margin) + 1;
    if (yt >= 0 && data[yt * w + x]) above++;
    if (yb < h && data[yb * w + x]) below++;
  }
  return cols > 0 && Math.max(above, below) >= 0.5 * cols;
}
