import type { OcrCharResult, OcrLineResult, ReadingProfile } from '../../../common/contract/ocr';
import { encodeGrayPng } from '../../imaging/png';
import type { Labeling } from '../components';
import type { OrderedLine } from '../order';
import { glyphTile, lineStretch } from '../tiles';
import { unionBox } from '../box';
import type { OcrClassifier } from '../types';
import { buildLattice, DEFAULT_LATTICE, type Lattice, type LatticeOptions } from './lattice';
import type { CharLm } from './lm';
import { allowedClasses } from './profiles';
import { pageSlant } from './slant';
import { searchLine, type SearchWeights } from './search';

/** A page's lines with their lattices classified: what a profile change searches again without new work. */
export interface ClassifiedLines {
  lattices: Lattice[];
  /** Per line: the classifier's probabilities, one row of `classes.length` per edge. */
  probs: Float32Array[];
  /** Per line, per edge: the normalized tile (0..255), for crops. */
  tiles: Uint8Array[][];
  classes: string;
  inputSize: number;
}

/** Builds every line's lattice and classifies all its edges in one batch. */
export async function classifyLines(lines: OrderedLine[], lab: Labeling, classifier: OcrClassifier, lattice: LatticeOptions = DEFAULT_LATTICE): Promise<ClassifiedLines> {
  const size = classifier.inputSize;
  let slant: number | null = null;
  const pageSlantOnce = () => (slant ??= pageSlant(lines, lab));
  const lattices = lines.map((l) => buildLattice(l, lab, lattice, pageSlantOnce));
  const tiles = lattices.map((lat, li) => {
    const stretch = lineStretch(lines[li]!.glyphs, lines[li]!.height);
    return lat.edges.map((e) => glyphTile(e.glyph, lab, size, stretch));
  });
  const n = tiles.reduce((a, t) => a + t.length, 0);
  const nc = classifier.classes.length;
  const probs: Float32Array[] = [];
  if (n) {
    const batch = new Float32Array(n * size * size);
    let k = 0;
    for (const line of tiles) for (const tile of line) for (let i = 0; i < tile.length; i++) batch[k++] = tile[i]! / 255;
    const cls = await classifier.classify(batch, n);
    let row = 0;
    for (const line of tiles) {
      probs.push(Float32Array.from(cls.probs.subarray(row * nc, (row + line.length) * nc)));
      row += line.length;
    }
  } else for (const _ of tiles) probs.push(new Float32Array(0));
  return { lattices, probs, tiles, classes: classifier.classes, inputSize: size };
}

/** A confidence as results carry it (4 decimals). */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Top-k allowed classes of one probability row, renormalized over the allowed ones. */
export function topAllowed(row: Float32Array, classes: string, allowed: boolean[], k: number): { char: string; confidence: number }[] {
  let mass = 0;
  for (let c = 0; c < classes.length; c++) if (allowed[c]) mass += row[c]!;
  const out: { char: string; confidence: number }[] = [];
  for (let c = 0; c < classes.length; c++) if (allowed[c]) out.push({ char: classes[c]!, confidence: row[c]! / Math.max(mass, 1e-12) });
  return out
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, k)
    .map((a) => ({ char: a.char, confidence: round4(a.confidence) }));
}

/** Reads the classified lines under a profile: the best path of each lattice, as lines, words and characters. */
export function searchLines(
  c: ClassifiedLines,
  profile: ReadingProfile,
  lm: CharLm | null,
  opts: { spaces: boolean; crops: boolean; weights?: Partial<SearchWeights> },
): OcrLineResult[] {
  const allowed = allowedClasses(profile, c.classes);
  const nc = c.classes.length;
  return c.lattices.map((lattice, li) => {
    const path = searchLine({ lattice, probs: c.probs[li]!, classes: c.classes, allowed, profile, lm, weights: opts.weights });
    const chars: OcrCharResult[] = [];
    const words: OcrLineResult['words'] = [];
    let text = '';
    let word: OcrCharResult[] = [];
    const flush = () => {
      if (!word.length) return;
      words.push({ text: word.map((w) => w.char).join(''), box: unionBox(word.map((w) => w.box)), confidence: Math.min(...word.map((w) => w.confidence)) });
      word = [];
    };
    for (const step of path) {
      const e = lattice.edges[step.edge]!;
      const g = e.glyph;
      const alternatives = topAllowed(c.probs[li]!.subarray(step.edge * nc, (step.edge + 1) * nc), c.classes, allowed, 3);
      const ch = c.classes[step.cls]!;
      // The chosen character first, then the classifier's other candidates.
      const alts = [{ char: ch, confidence: round4(step.confidence) }, ...alternatives.filter((a) => a.char !== ch)].slice(0, 3);
      const r: OcrCharResult = { box: [g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0], char: ch, confidence: round4(step.confidence), alternatives: alts };
      if (opts.crops) r.crop = encodeGrayPng(c.tiles[li]![step.edge]!, c.inputSize, c.inputSize).toString('base64');
      if (step.spaceBefore) {
        flush();
        if (opts.spaces) text += ' ';
      }
      text += ch;
      chars.push(r);
      word.push(r);
    }
    flush();
    return { text, box: unionBox(chars.map((x) => x.box)), confidence: words.length ? Math.min(...words.map((w) => w.confidence)) : 0, words, chars };
  });
}
