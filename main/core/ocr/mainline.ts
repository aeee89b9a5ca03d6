import type { Labeling } from './components';
import { fitBand, type Band } from './mainline-band';
import { continuesBeyond, readBandLevels, type BandReading } from './mainline-read';
import { orderLines, type OrderedLine } from './order';
import { median, type Glyph } from './segment';
import type { Gray, Mask } from './types';

/**
 * The main line (a plate number, a heading) read on its own. Its characters share one height and
 * sit between two straight lines (top and bottom, fitted to them, so a remaining tilt or a slight
 * perspective is followed). Where that band lies is not known beforehand: characters that touch a
 * frame, a picture or small print below come out of the page's lines as taller blobs, and a picture
 * can be taller than the characters. So every group of the page's glyphs that share a top and a
 * bottom proposes a band, each band is read (mainline-read.ts), and the bands are ranked by the
 * characters standing on their edges, taller ones first.
 */

const gh = (g: { y0: number; y1: number }) => g.y1 - g.y0;
const gw = (g: { x0: number; x1: number }) => g.x1 - g.x0;

export interface MainLineResult {
  lab: Labeling;
  line: OrderedLine;
  band: Band;
  /** The ranking's score (higher is likelier the main line). */
  score: number;
}

/** Groups of at least two glyphs that share top and bottom (within a tenth of their height). */
export function sharedBandGroups(glyphs: Glyph[], minHeight: number): Glyph[][] {
  const pool = glyphs.filter((g) => gh(g) >= minHeight);
  const seen = new Set<string>();
  const out: Glyph[][] = [];
  for (const s of pool) {
    const tol = Math.max(2, 0.1 * gh(s));
    const idx: number[] = [];
    pool.forEach((g, i) => {
      if (Math.abs(g.y0 - s.y0) <= tol && Math.abs(g.y1 - s.y1) <= tol) idx.push(i);
    });
    const key = idx.join(',');
    if (idx.length < 2 || seen.has(key)) continue;
    seen.add(key);
    out.push(idx.map((i) => pool[i]!));
  }
  return out;
}

/** Bands of the lines and of the groups, one of each (two bands within 2 px at the page's centre are one). */
function distinctBands(lines: OrderedLine[], groups: Glyph[][], centre: number): Band[] {
  const out: Band[] = [];
  const all = [...lines, ...groups.map((g) => ({ glyphs: g, height: median(g.map(gh)), spaceBefore: [], spaceGap: 0 }))];
  for (const l of all) {
    const band = fitBand(l);
    if (!band) continue;
    const top = band.topA + band.topB * centre;
    const bot = band.botA + band.botB * centre;
    if (out.some((b) => Math.abs(b.topA + b.topB * centre - top) <= 2 && Math.abs(b.botA + b.botB * centre - bot) <= 2)) continue;
    out.push(band);
  }
  return out;
}

/** How likely a band's reading is the main line: its standing characters (up to 8) times its height. */
export function bandScore(r: BandReading): number {
  return Math.min(r.score, 5) * r.band.height;
}

/**
 * Small characters stacked in two rows where one character stands (a plate's series letters, a
 * county number): at least two parts one above the other, each at most 60% of the glyph's height
 * and at least a third of its width.
 */
export function isStacked(g: Glyph, lab: Labeling): boolean {
  if (g.labels.length < 2) return false;
  const own = new Set(g.labels);
  const parts = lab.components.filter((c) => own.has(c.label) && gw(c) >= 0.33 * gw(g) && gh(c) >= 0.2 * gh(g));
  if (parts.length < 2 || parts.some((c) => gh(c) > 0.6 * gh(g))) return false;
  parts.sort((a, b) => a.y0 - b.y0);
  return parts.slice(1).some((c, i) => c.y0 >= parts[i]!.y1 - 1);
}

/**
 * Drops, from either end of the line, what borders the number rather than belongs to it: a narrow
 * glyph cut by the image's edge or going on beyond the band (`frame`: a frame's side), one clearly
 * shorter than the line's characters (a cactus, a bolt), one clearly wider and not of their height
 * (a state's badge with its own lettering), or small characters stacked in two rows (`isStacked`,
 * given the labelling). Characters of one plate share height and, nearly, width; one cut by the
 * image's edge but as wide as they are and level with its neighbour is one of them.
 */
export function trimEnds(glyphs: Glyph[], pageWidth: number, lab?: Labeling, frame?: (g: Glyph) => boolean): Glyph[] {
  const gs = [...glyphs].sort((a, b) => a.x0 - b.x0);
  if (gs.length < 4) return gs;
  const medH = median(gs.map(gh));
  const medW = median(gs.map(gw));
  const narrow = (g: Glyph) => gw(g) < 0.5 * medW;
  // Beside its neighbour inward: the same top, bottom and height.
  const aligned = (g: Glyph, n: Glyph) =>
    Math.abs(g.y0 - n.y0) <= 0.06 * medH && Math.abs(g.y1 - n.y1) <= 0.06 * medH && Math.abs(gh(g) - gh(n)) <= 0.05 * medH;
  const odd = (g: Glyph, n: Glyph) =>
    ((g.x0 <= 1 || g.x1 >= pageWidth - 1) && (narrow(g) || !aligned(g, n))) ||
    (narrow(g) && frame !== undefined && frame(g)) ||
    gh(g) < 0.85 * medH ||
    (gw(g) > 1.35 * medW && Math.abs(gh(g) - medH) > 0.05 * medH) ||
    (lab !== undefined && isStacked(g, lab));
  for (let k = 0; k < 2 && gs.length > 3 && odd(gs[0]!, gs[1]!); k++) gs.shift();
  for (let k = 0; k < 2 && gs.length > 3 && odd(gs[gs.length - 1]!, gs[gs.length - 2]!); k++) gs.pop();
  return gs;
}

/** A band's reading as a line (ends trimmed), or null when nothing is left. */
function asResult(r: BandReading, mask: Mask): MainLineResult | null {
  const glyphs = trimEnds(r.glyphs, mask.width, r.lab, (g) => continuesBeyond(g, mask, r.band));
  if (!glyphs.length) return null;
  const [ordered] = orderLines([{ glyphs, height: median(glyphs.map(gh)) }]);
  return ordered ? { lab: r.lab, line: ordered, band: r.band, score: bandScore(r) } : null;
}

/**
 * The main line's candidates, likeliest first (at most `max`): every band proposed by the page's
 * lines (see the top of this file) read from the mask and the gray page's levels. Empty when no
 * two glyphs share a band: the caller keeps the page's lines as found.
 */
export function mainLineCandidates(mask: Mask, lab: Labeling, lines: OrderedLine[], gray?: Gray, max = 5): MainLineResult[] {
  // The page's lines merge parts stacked above each other (a character with the picture it stands
  // on): its components are looked at too.
  const comps = lab.components
    .filter((c) => c.x1 - c.x0 <= 1.5 * (c.y1 - c.y0) && c.y1 - c.y0 < 0.95 * mask.height)
    .map((c) => ({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, labels: [c.label], clipX0: c.x0, clipX1: c.x1 }));
  const glyphs = [...lines.flatMap((l) => l.glyphs), ...comps];
  const groups = sharedBandGroups(glyphs, Math.max(6, 0.1 * mask.height));
  const bands = distinctBands(lines, groups, mask.width / 2);
  const readings = bands.map((b) => readBandLevels(mask, b, gray)).sort((a, b) => bandScore(b) - bandScore(a));
  const out: MainLineResult[] = [];
  for (const r of readings) {
    if (out.length >= max) break;
    const res = asResult(r, mask);
    if (res) out.push(res);
  }
  return out;
}

/** The likeliest main line (see `mainLineCandidates`), or null. */
export function refineMainLine(mask: Mask, lab: Labeling, lines: OrderedLine[], gray?: Gray): MainLineResult | null {
  return mainLineCandidates(mask, lab, lines, gray, 1)[0] ?? null;
}
