import type { Labeling } from '../components';
import type { OrderedLine } from '../order';
import { median, shearedInk, tighten, type Glyph } from '../segment';
import { baseline } from './slant';

/**
 * The segmentation lattice of one line. The line's glyphs (connected components, already merged when
 * stacked or overlapping) are cut into atoms: a glyph wider than the line's characters is cut at the
 * columns where its ink is thinnest (touching characters), every other glyph is one atom. Nodes are
 * the boundaries between atoms; an edge from node i to node j is one candidate character made of
 * atoms i..j-1 (a whole glyph, a piece of a cut one, or several pieces of a broken one). The reader
 * classifies every edge's crop and searches the best path (search.ts).
 */
export interface Edge {
  from: number;
  to: number;
  glyph: Glyph;
  /** Width and height over the line's character height. */
  aspect: number;
  height: number;
  /** 1 when it starts at a cut through ink (a node inside one connected glyph): each cut of a path counts once. */
  cuts: number;
  /** How many separate full-height glyphs it joins into one (0 for a single atom or pieces of one glyph). */
  joins: number;
}

export interface Lattice {
  /** Atoms in reading order; node i lies before atom i, node n after the last. */
  atoms: Glyph[];
  edges: Edge[];
  /**
   * Per node: the gap there over the line's space threshold (0 inside a glyph). Above SURE_SPACE a
   * space for certain, below NO_SPACE none, between the reading decides (`21 0` or `210`, `BYJUNE`
   * or `BY JUNE`). No edge spans a gap that may be a space.
   */
  gapRatio: number[];
  lineHeight: number;
  /** The line's typical character width (pixels) and word-space threshold (pixels): spacing.ts's units. */
  charWidth: number;
  spaceGap: number;
  /** The line's typical character aspect (width / line height) over a common font's, for the width prior. */
  widthScale: number;
}

const gw = (g: Glyph) => (g.shear ? g.x1 - g.x0 : Math.min(g.x1, g.clipX1) - Math.max(g.x0, g.clipX0));
const gh = (g: Glyph) => g.y1 - g.y0;

/** Typical aspect of capitals and digits in common fonts (w / cap height). */
const COMMON_ASPECT = 0.68;
export const SURE_SPACE = 1.25;
export const NO_SPACE = 0.75;
/** Longest run of atoms one character may take (a U broken in three, a W in four). */
const MAX_SPAN = 4;

/** Which glyphs are cut and into how many candidates (tuned on pages in training fonts). */
export interface LatticeOptions {
  /** A glyph wider than this many typical character widths is cut. */
  cutWidth: number;
  /** At most one cut candidate per this many typical character widths of the glyph. */
  cutEvery: number;
}

export const DEFAULT_LATTICE: LatticeOptions = { cutWidth: 1.3, cutEvery: 0.3 };

/**
 * Columns where a wide glyph may be cut: local minima of its column ink that are thin compared with
 * the glyph's strokes, at least `minPiece` from either side and from each other. Best (thinnest) first,
 * at most `max`. With a shear (a slanted line) the columns are sheared ones (segment.ts `shearedInk`).
 */
export function cutCandidates(g: Glyph, lab: Labeling, minPiece: number, max: number, charW: number, shear = 0, shearY = 0): number[] {
  const { cols, u0 } = shearedInk(g, lab, shear, shearY);
  const w = cols.length;
  const peak = Math.max(...cols);
  const cands: { x: number; v: number }[] = [];
  for (let x = Math.ceil(minPiece); x <= w - Math.ceil(minPiece); x++) {
    const v = cols[x]!;
    const l = cols[x - 1] ?? Infinity;
    const r = cols[x + 1] ?? Infinity;
    if (v <= l && v <= r && v <= 0.5 * peak) cands.push({ x, v });
  }
  cands.sort((a, b) => a.v - b.v || a.x - b.x);
  // Characters that overlap (a stroke shared, kerning) leave no thin column: cut where even widths
  // would put the boundaries too, at the thinnest column nearby.
  const even: { x: number; v: number }[] = [];
  const n = Math.round(w / charW);
  for (let k = 1; k < n; k++) {
    const ideal = (k * w) / n;
    let best = -1;
    for (let x = Math.max(Math.ceil(minPiece), Math.round(ideal - w / n / 3)); x <= Math.min(w - Math.ceil(minPiece), Math.round(ideal + w / n / 3)); x++) {
      if (best < 0 || cols[x]! + 0.01 * Math.abs(x - ideal) < cols[best]! + 0.01 * Math.abs(best - ideal)) best = x;
    }
    if (best >= 0) even.push({ x: best, v: cols[best]! });
  }
  cands.splice(Math.min(cands.length, 2), 0, ...even);
  const chosen: number[] = [];
  for (const c of cands) {
    if (chosen.length >= max) break;
    if (chosen.every((x) => Math.abs(x - c.x) >= minPiece)) chosen.push(c.x);
  }
  return chosen.sort((a, b) => a - b).map((x) => u0 + x);
}

function piece(g: Glyph, x0: number, x1: number, lab: Labeling, shear: number, shearY: number): Glyph {
  return tighten({ ...g, labels: [...g.labels], clipX0: x0, clipX1: x1, ...(shear ? { shear, shearY } : {}) }, lab);
}

/** The glyph's clip columns [from, to) in sheared columns (the plain clip when upright). */
function uRange(g: Glyph, shear: number, shearY: number): [number, number] {
  if (!shear) return [Math.max(g.x0, g.clipX0), Math.min(g.x1, g.clipX1)];
  const offs = [g.y0, g.y1 - 1].map((y) => Math.round(shear * (shearY - y)));
  return [g.x0 - Math.max(...offs), g.x1 - Math.min(...offs)];
}

/** An upright glyph's clip in the sheared columns of `s` (covering all its pixels). */
function sheared(g: Glyph, s: Glyph): Glyph {
  if (g.shear || !s.shear) return g;
  const [clipX0, clipX1] = uRange(g, s.shear, s.shearY!);
  return { ...g, clipX0, clipX1, shear: s.shear, shearY: s.shearY };
}

function union(partsIn: Glyph[], lab: Labeling): Glyph {
  if (partsIn.length === 1) return partsIn[0]!;
  const cut = partsIn.find((p) => p.shear);
  const parts = cut ? partsIn.map((p) => sheared(p, cut)) : partsIn;
  const labels = [...new Set(parts.flatMap((p) => p.labels))];
  const g: Glyph = {
    x0: Math.min(...parts.map((p) => p.x0)),
    y0: Math.min(...parts.map((p) => p.y0)),
    x1: Math.max(...parts.map((p) => p.x1)),
    y1: Math.max(...parts.map((p) => p.y1)),
    labels,
    // Sheared clips are in sheared columns (not comparable with the box); upright ones are clamped to it.
    clipX0: Math.min(...parts.map((p) => (cut ? p.clipX0 : Math.max(p.x0, p.clipX0)))),
    clipX1: Math.max(...parts.map((p) => (cut ? p.clipX1 : Math.min(p.x1, p.clipX1)))),
    ...(cut ? { shear: cut.shear, shearY: cut.shearY } : {}),
  };
  return tighten(g, lab);
}

/**
 * `slant` gives the page's slant (`pageSlant`), asked only when a glyph needs cutting; upright without it.
 */
export function buildLattice(line: OrderedLine, lab: Labeling, opts: LatticeOptions = DEFAULT_LATTICE, slant: () => number = () => 0): Lattice {
  const lh = line.height;
  const natural = line.glyphs.filter((g) => gh(g) >= 0.8 * lh).map((g) => gw(g) / lh);
  const widthScale = Math.min(1.5, Math.max(0.5, (natural.length >= 3 ? median(natural.filter((a) => a > 0.3)) || COMMON_ASPECT : COMMON_ASPECT) / COMMON_ASPECT));
  const charW = COMMON_ASPECT * widthScale * lh;
  const atoms: Glyph[] = [];
  const gapRatio: number[] = [];
  /** Per atom: where its glyph starts (atoms of one cut glyph touch: no gap check between them). */
  const glyphOf: number[] = [];
  // A slanted page (italics, handwriting) is cut along its slant.
  let cut: { shear: number; shearY: number } | null = null;
  line.glyphs.forEach((g, gi) => {
    const wide = gw(g) > opts.cutWidth * charW;
    const { shear, shearY } = wide ? (cut ??= { shear: slant(), shearY: baseline(line) }) : { shear: 0, shearY: 0 };
    const cuts = wide ? cutCandidates(g, lab, Math.max(2, 0.22 * lh), Math.min(8, Math.round(gw(g) / (opts.cutEvery * charW))), charW, shear, shearY) : [];
    const xs = [...uRange(g, shear, shearY)];
    xs.splice(1, 0, ...cuts);
    let first = true;
    for (let k = 0; k + 1 < xs.length; k++) {
      const p = cuts.length ? piece(g, xs[k]!, xs[k + 1]!, lab, shear, shearY) : g;
      if (p.x1 <= p.x0) continue;
      const prev = atoms[atoms.length - 1];
      // The gap before a glyph's first (non-empty) piece is a gap between glyphs.
      const natural = first && gi > 0 && prev;
      first = false;
      gapRatio.push(natural ? Math.max(0, p.x0 - prev.x1) / Math.max(1, line.spaceGap) : 0);
      atoms.push(p);
      glyphOf.push(gi);
    }
  });
  gapRatio.push(0);
  const inside = (node: number) => node > 0 && node < atoms.length && glyphOf[node] === glyphOf[node - 1];
  const full = (a: Glyph) => gh(a) >= 0.8 * lh;
  const edges: Edge[] = [];
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i + 1; j <= Math.min(atoms.length, i + MAX_SPAN); j++) {
      if (j > i + 1) {
        if (gapRatio[j - 1]! > NO_SPACE) break;
        const prev = atoms[j - 2]!;
        const next = atoms[j - 1]!;
        // Pieces of one character lie close: a gap wider than a thin stroke ends the run.
        if (glyphOf[j - 1] !== glyphOf[j - 2] && next.x0 - prev.x1 > 0.12 * lh) break;
      }
      const parts = atoms.slice(i, j);
      // Separate glyphs join only when one of them is a fragment (short, or narrower than a stroke
      // pair): two whole letters side by side are never one character.
      if (j > i + 1 && parts.every((a, k) => k > 0 && glyphOf[i + k] === glyphOf[i + k - 1] ? true : full(a) && gw(a) > 0.3 * charW) && new Set(glyphOf.slice(i, j)).size > 1) continue;
      const g = j === i + 1 ? parts[0]! : union(parts, lab);
      const aspect = gw(g) / lh;
      if (j > i + 1 && aspect > 1.45 * widthScale) break;
      let joins = 0;
      for (let k = i + 1; k < j; k++) if (!inside(k) && full(atoms[k - 1]!) && full(atoms[k]!)) joins++;
      edges.push({ from: i, to: j, glyph: g, aspect, height: gh(g) / lh, cuts: inside(i) ? 1 : 0, joins });
    }
  }
  return { atoms, edges, gapRatio, lineHeight: lh, widthScale, charWidth: charW, spaceGap: line.spaceGap };
}
