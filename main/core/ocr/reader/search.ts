import type { ReadingProfile } from '../../../common/contract/ocr';
import { NO_SPACE, SURE_SPACE, type Lattice } from './lattice';
import type { CharLm } from './lm';
import { PatternSet } from './patterns';
import { DIGIT_CELL, shapedGap, type SpacingWeights } from './spacing';

/**
 * Beam search over a line's segmentation lattice. A path's score adds, per character, the classifier's
 * log-probability of that character for that edge's crop, a shape prior (every class of a caps-and-digits
 * model spans the line's height; each class has a plausible width), the language model's log-probability
 * times `lmWeight`, and `charBonus` (so a reading is not preferred for having fewer characters). At each
 * word's end the profile's patterns and word list add their terms. Spaces sit where the lattice says.
 */
export interface SearchWeights extends SpacingWeights {
  lmWeight: number;
  charBonus: number;
  /** Per end of a candidate that cuts through ink (touching characters are cut only when it pays). */
  cutCost: number;
  /** Per pair of separate full-height glyphs read as one character. */
  joinCost: number;
  /** A space where the gap is narrower than the line's threshold (per threshold's worth), or none where wider. */
  gapCost: number;
  /** A word that fits none of the profile's patterns. */
  patternMiss: number;
  /** A word found in the profile's word list. */
  wordHit: number;
  beam: number;
  /** Classes tried per edge (the classifier's best ones). */
  perEdge: number;
}

export const DEFAULT_WEIGHTS: SearchWeights = { lmWeight: 0.4, charBonus: 1.5, cutCost: 2, joinCost: 5, gapCost: 12, patternMiss: 6, wordHit: 3, beam: 10, perEdge: 3, shapeScale: 1, digitCell: DIGIT_CELL };

/** Score margin (nats) below a node's best hypothesis beyond which a new one is not kept. */
const PRUNE = 15;

export interface SearchInput {
  lattice: Lattice;
  /** Per edge (in lattice.edges order): the classifier's probabilities over `classes`. */
  probs: Float32Array;
  classes: string;
  allowed: boolean[];
  profile: ReadingProfile;
  lm: CharLm | null;
  weights?: Partial<SearchWeights>;
}

export interface PathStep {
  edge: number;
  cls: number;
  /** The classifier's probability of the class on that edge, over the allowed classes. */
  confidence: number;
  spaceBefore: boolean;
}

/** A path's steps, newest first, shared between the hypotheses that extend it. */
interface Steps {
  step: PathStep;
  prev: Steps | null;
}

interface Hyp {
  score: number;
  ctx: string;
  word: string;
  pat: number[];
  steps: Steps | null;
  space: boolean;
}

/** Width range (over the line's typical aspect) that a class's glyph may have. */
function widthRange(c: string): [number, number] {
  if (c === 'I' || c === 'l' || c === 'i' || c === '|') return [0.04, 0.5];
  if (c === '1') return [0.1, 0.75];
  if (c === 'J' || c === 'j' || c === 'f' || c === 't' || c === 'r') return [0.15, 0.85];
  if (c === 'M' || c === 'W' || c === 'm' || c === 'w') return [0.5, 1.45];
  return [0.33, 1.12];
}

export function shapeCost(c: string, aspect: number, widthScale: number, height: number, capsOnly: boolean): number {
  let cost = 0;
  if (capsOnly && height < 0.72) cost -= (0.72 - height) * 25;
  const a = aspect / widthScale;
  const [lo, hi] = widthRange(c);
  if (a < lo) cost -= 6 * Math.log(lo / a);
  else if (a > hi) cost -= 6 * Math.log(a / hi);
  return cost;
}

function dedupe(hyps: Hyp[], beam: number): Hyp[] {
  hyps.sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  const out: Hyp[] = [];
  for (const h of hyps) {
    const key = `${h.ctx}|${h.word}|${h.space}|${h.pat.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(h);
    if (out.length >= beam) break;
  }
  return out;
}

export function searchLine(input: SearchInput): PathStep[] {
  const w = { ...DEFAULT_WEIGHTS, ...input.weights };
  const { lattice, probs, classes, allowed, profile } = input;
  const nc = classes.length;
  const lm = profile.language ? input.lm : null;
  const patterns = new PatternSet(profile.patterns);
  const words = profile.words.length ? new Set(profile.words.map((x) => x.toUpperCase())) : null;
  const linePatterns = patterns.patterns.some((p) => p.some((s) => s.kind === 'space'));
  const capsOnly = !/[a-z]/.test(classes);
  const order = lm ? lm.order : 1;
  const n = lattice.atoms.length;
  const byFrom: number[][] = Array.from({ length: n + 1 }, () => []);
  lattice.edges.forEach((e, i) => byFrom[e.from]!.push(i));
  // Each edge's best allowed classes with their renormalized log-probabilities and shape costs, once.
  const options = lattice.edges.map((e, ei) => {
    let mass = 0;
    for (let c = 0; c < nc; c++) if (allowed[c]) mass += probs[ei * nc + c]!;
    const list: { cls: number; p: number; base: number }[] = [];
    for (let c = 0; c < nc; c++) {
      if (!allowed[c]) continue;
      const p = probs[ei * nc + c]! / Math.max(mass, 1e-12);
      list.push({ cls: c, p, base: Math.log(Math.max(p, 1e-7)) + shapeCost(classes[c]!, e.aspect, lattice.widthScale, e.height, capsOnly) });
    }
    const seg = -w.cutCost * e.cuts - w.joinCost * e.joins;
    for (const o of list) o.base += seg;
    return list.sort((a, b) => b.base - a.base).slice(0, w.perEdge);
  });
  /** Ends a word: patterns and word list judge it; the language model sees the space. */
  const endWord = (h: Hyp, final: boolean): Hyp => {
    let score = h.score;
    if (linePatterns && !final) {
      // Patterns with spaces judge the whole line: the space is one of their steps.
      const pat = patterns.step(h.pat, ' ');
      if (patterns.alive(h.pat) && !patterns.alive(pat)) score -= w.patternMiss;
      if (lm && h.word) score += w.lmWeight * lm.logProb(h.ctx, ' ');
      return { ...h, score, ctx: (h.ctx + ' ').slice(-(order - 1) || undefined), word: '', pat, space: true };
    }
    if (h.word) {
      if (!patterns.empty && patterns.alive(h.pat) && !patterns.complete(h.pat)) score -= w.patternMiss;
      if (words?.has(h.word)) score += w.wordHit * Math.min(1, h.word.length / 3);
    }
    if (lm && h.word) score += w.lmWeight * lm.logProb(h.ctx, ' ');
    return { ...h, score, ctx: (h.ctx + ' ').slice(-(order - 1) || undefined), word: '', pat: patterns.start(), space: !final };
  };
  let at: Hyp[][] = Array.from({ length: n + 1 }, () => []);
  const best = new Float64Array(n + 1).fill(-Infinity);
  at[0] = [{ score: 0, ctx: ' ', word: '', pat: patterns.start(), steps: null, space: false }];
  for (let i = 0; i < n; i++) {
    const gap = lattice.gapRatio[i]!;
    for (const h of dedupe(at[i]!, w.beam)) {
      const prev = h.steps?.step;
      const last = prev ? classes[prev.cls]! : '';
      const prevEdge = prev ? lattice.edges[prev.edge]! : null;
      let spaced: Hyp | null = null;
      const extend = (from: Hyp, cost: number, ei: number, o: { cls: number; p: number; base: number }) => {
        const ch = classes[o.cls]!;
        let score = from.score - cost + o.base + w.charBonus;
        if (lm) score += w.lmWeight * lm.logProb(from.ctx, ch);
        const to = lattice.edges[ei]!.to;
        // A hypothesis far below the best one reaching the same node would never make the beam there.
        if (score < best[to]! - PRUNE) return;
        if (score > best[to]!) best[to] = score;
        let pat = from.pat;
        if (!patterns.empty) {
          pat = patterns.step(from.pat, ch);
          // Leaving every pattern costs once, when it happens.
          if (patterns.alive(from.pat) && !patterns.alive(pat)) score -= w.patternMiss;
        }
        at[to]!.push({
          score,
          ctx: order > 1 ? (from.ctx + ch).slice(-(order - 1)) : '',
          word: from.word + ch,
          pat,
          steps: { step: { edge: ei, cls: o.cls, confidence: o.p, spaceBefore: from.space && from.word === '' }, prev: from.steps },
          space: false,
        });
      };
      for (const ei of byFrom[i]!) {
        const e = lattice.edges[ei]!;
        for (const o of options[ei]!) {
          if (gap <= 0 || !prev) {
            extend(h, 0, ei, o);
            continue;
          }
          // The gap as the two characters' shapes leave it: a space for certain, none, or both readings.
          const r = shapedGap(lattice, gap, prevEdge, last, e, classes[o.cls]!, w);
          spaced ??= r > NO_SPACE ? endWord(h, false) : null;
          if (r >= SURE_SPACE) extend(spaced!, 0, ei, o);
          else if (r <= NO_SPACE) extend(h, 0, ei, o);
          else {
            extend(spaced!, w.gapCost * Math.max(0, 1 - r), ei, o);
            extend(h, w.gapCost * Math.max(0, r - 1), ei, o);
          }
        }
      }
    }
    at[i] = [];
  }
  const finals = at[n]!.map((h) => endWord(h, true));
  finals.sort((a, b) => b.score - a.score);
  at = [];
  const path: PathStep[] = [];
  for (let s = finals[0]?.steps ?? null; s; s = s.prev) path.push(s.step);
  return path.reverse();
}
