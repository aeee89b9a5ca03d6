import type { Lattice } from '../reader/lattice';
import { shapeCost } from '../reader/search';

/**
 * Aligns a transcript with one line's segmentation lattice: an edit distance whose "reading" side is
 * any path through the lattice, so the transcript picks the segmentation too (a cut the reader missed,
 * a broken glyph it did not join). The alignment is local on the lattice side: glyphs before and
 * after the transcript cost nothing (a handwritten name beside its printed label), while inside it
 * an extra glyph, a missing one or a character the classifier doubts all cost.
 *
 * Afterwards each transcript character is judged: stored only when the classifier agrees with the
 * transcript on that glyph (among its best three), or when a disagreeing glyph sits between agreeing
 * neighbours on a clean stretch (no glyph missing or extra beside it) — the model's own error, which is
 * what it must learn. A line where the classifier agrees with too few characters is not the
 * transcript's line (or the transcript is wrong): nothing of it is stored.
 */
export interface AlignInput {
  lattice: Lattice;
  /** Per edge, the classifier's probabilities over `classes`. */
  probs: Float32Array;
  classes: string;
  /** Classes that may be read (the profile's charset). */
  allowed: boolean[];
  /** The transcript of (part of) this line; case is folded when the model has no lowercase. */
  text: string;
}

export type AlignOp =
  | { kind: 'match'; j: number; edge: number; cls: number; agree: boolean }
  /** A transcript character that is not a class (punctuation): may take a small glyph, never stored. */
  | { kind: 'other'; j: number; edge: number | null }
  | { kind: 'del'; j: number }
  | { kind: 'ins'; edge: number };

export interface AlignedGlyph {
  /** Index into the transcript (after case folding, spaces kept). */
  j: number;
  char: string;
  edge: number;
  cls: number;
  /** The classifier agreed (the transcript's character among its best three). */
  agree: boolean;
}

export interface Unaligned {
  j: number;
  char: string;
  reason: 'no glyph' | 'doubtful glyph' | 'line does not match';
}

export interface LineAlignment {
  /** Mean cost per transcript character: lower is better (for choosing among lines). */
  cost: number;
  ops: AlignOp[];
  glyphs: AlignedGlyph[];
  unaligned: Unaligned[];
  /** Class characters of the transcript. */
  classChars: number;
}

const DEL = 7;
const INS_FULL = 7;
const INS_SMALL = 1.2;
const OTHER_DROP = 1;
const OTHER_SMALL = 1.5;
const OTHER_FULL = 6;
const FLOOR = 1e-4;
const CUT = 2;
const JOIN = 5;
/** Share of a line's class characters the classifier must agree with for any of it to be stored. */
export const MIN_AGREE = 0.5;

/** The transcript as the model's classes see it: lowercase folded when the model has only capitals. */
export function foldText(text: string, classes: string): string {
  return /[a-z]/.test(classes) ? text : text.toUpperCase();
}

export function alignLine(input: AlignInput): LineAlignment {
  const { lattice, probs, classes, allowed } = input;
  const text = foldText(input.text, classes);
  const nc = classes.length;
  const n = lattice.atoms.length;
  const chars = [...text];
  const m = chars.length;
  const clsOf = chars.map((c) => {
    const k = classes.indexOf(c);
    return k >= 0 && allowed[k] ? k : -1;
  });
  const capsOnly = !/[a-z]/.test(classes);
  const mass = lattice.edges.map((_, ei) => {
    let s = 0;
    for (let c = 0; c < nc; c++) if (allowed[c]) s += probs[ei * nc + c]!;
    return Math.max(s, 1e-12);
  });
  const byFrom: number[][] = Array.from({ length: n + 1 }, () => []);
  lattice.edges.forEach((e, i) => byFrom[e.from]!.push(i));
  const small = (ei: number) => lattice.edges[ei]!.height < 0.55;
  const matchCost = (ei: number, k: number) => {
    const e = lattice.edges[ei]!;
    const p = probs[ei * nc + k]! / mass[ei]!;
    const shape = Math.min(8, -shapeCost(classes[k]!, e.aspect, lattice.widthScale, e.height, capsOnly));
    return -Math.log(Math.max(p, FLOOR)) + shape + CUT * e.cuts + JOIN * e.joins;
  };
  // D[i][j]: least cost with the lattice at node i and j transcript characters used.
  const W = m + 1;
  const D = new Float64Array((n + 1) * W).fill(Infinity);
  const back = new Int32Array((n + 1) * W * 3).fill(-1); // [kind, edge, prev node]
  const set = (i: number, j: number, v: number, kind: number, edge: number, from: number) => {
    if (v < D[i * W + j]!) {
      D[i * W + j] = v;
      back[(i * W + j) * 3] = kind;
      back[(i * W + j) * 3 + 1] = edge;
      back[(i * W + j) * 3 + 2] = from;
    }
  };
  for (let i = 0; i <= n; i++) set(i, 0, 0, 0, -1, -1); // free start
  const isSpace = (j: number) => /\s/.test(chars[j]!);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const here = D[i * W + j]!;
      if (here === Infinity) continue;
      if (j < m) {
        // Spaces are free; a transcript character without a glyph costs.
        if (isSpace(j)) set(i, j + 1, here, 4, -1, i);
        else set(i, j + 1, here + (clsOf[j]! < 0 ? OTHER_DROP : DEL), 3, -1, i);
      }
      for (const ei of byFrom[i]!) {
        const e = lattice.edges[ei]!;
        if (j < m && !isSpace(j)) {
          const k = clsOf[j]!;
          if (k >= 0) set(e.to, j + 1, here + matchCost(ei, k), 1, ei, i);
          else if (e.to === e.from + 1) set(e.to, j + 1, here + (small(ei) ? OTHER_SMALL : OTHER_FULL), 2, ei, i);
        }
        // A glyph the transcript does not have: only inside it (before it starts and after it ends, glyphs are free).
        if (j > 0 && j < m && e.to === e.from + 1) set(e.to, j, here + (small(ei) ? INS_SMALL : INS_FULL), 5, ei, i);
      }
    }
  }
  let end = 0;
  for (let i = 1; i <= n; i++) if (D[i * W + m]! < D[end * W + m]!) end = i;
  const ops: AlignOp[] = [];
  let i = end;
  let j = m;
  while (j > 0) {
    const b = (i * W + j) * 3;
    const kind = back[b]!;
    const edge = back[b + 1]!;
    const from = back[b + 2]!;
    if (kind === 1) ops.push({ kind: 'match', j: j - 1, edge, cls: clsOf[j - 1]!, agree: false });
    else if (kind === 2) ops.push({ kind: 'other', j: j - 1, edge });
    else if (kind === 3) ops.push(clsOf[j - 1]! < 0 ? { kind: 'other', j: j - 1, edge: null } : { kind: 'del', j: j - 1 });
    else if (kind === 5) ops.push({ kind: 'ins', edge });
    // kind 4: a space, nothing to record
    if (kind !== 5) j--;
    i = from;
  }
  ops.reverse();
  for (const op of ops) if (op.kind === 'match') op.agree = agrees(probs, op.edge, op.cls, nc, allowed);
  return judge(ops, chars, clsOf, D[end * W + m]! / Math.max(1, m));
}

/** The transcript's class is among the classifier's best three allowed classes for that glyph. */
function agrees(probs: Float32Array, edge: number, cls: number, nc: number, allowed: boolean[]): boolean {
  const p = probs[edge * nc + cls]!;
  let better = 0;
  for (let c = 0; c < nc; c++) if (allowed[c] && c !== cls && probs[edge * nc + c]! > p) better++;
  return better < 3;
}

function judge(ops: AlignOp[], chars: string[], clsOf: number[], cost: number): LineAlignment {
  const classChars = clsOf.filter((k) => k >= 0).length;
  const matches = ops.filter((o): o is Extract<AlignOp, { kind: 'match' }> => o.kind === 'match');
  const agreeing = matches.filter((o) => o.agree).length;
  const unaligned: Unaligned[] = [];
  const glyphs: AlignedGlyph[] = [];
  if (classChars === 0 || agreeing < Math.max(1, MIN_AGREE * classChars)) {
    clsOf.forEach((k, j) => k >= 0 && unaligned.push({ j, char: chars[j]!, reason: 'line does not match' }));
    return { cost, ops, glyphs, unaligned, classChars };
  }
  // Neighbours in the transcript's order, punctuation and spaces left out.
  const seq = ops.filter((o) => o.kind !== 'other');
  seq.forEach((op, s) => {
    if (op.kind === 'del') unaligned.push({ j: op.j, char: chars[op.j]!, reason: 'no glyph' });
    if (op.kind !== 'match') return;
    const prev = seq[s - 1];
    const next = seq[s + 1];
    const ok = (o: AlignOp | undefined) => o === undefined || (o.kind === 'match' && o.agree);
    const anchored = ok(prev) && ok(next) && (prev !== undefined || next !== undefined);
    if (op.agree || anchored) glyphs.push({ j: op.j, char: chars[op.j]!, edge: op.edge, cls: op.cls, agree: op.agree });
    else unaligned.push({ j: op.j, char: chars[op.j]!, reason: 'doubtful glyph' });
  });
  return { cost, ops, glyphs, unaligned, classChars };
}
