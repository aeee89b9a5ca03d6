/**
 * The Document view's state: the documents read, the page shown, the selected character, and the
 * person's edits (correct, delete, add, merge, split) with an undo stack per document.
 */
import type { OcrDocument, OcrPageResult } from '$common/contract';

export type Box = [number, number, number, number];

export interface DocChar {
  key: number;
  box: Box;
  char: string;
  confidence: number;
  alternatives: { char: string; confidence: number }[];
  crop?: string;
  /** Set once the person typed the right character. */
  corrected?: boolean;
}

export interface DocLine {
  box: Box;
  text: string;
  chars: DocChar[];
}

export interface DocPage {
  index: number;
  width: number;
  height: number;
  skewDegrees: number;
  binarize: string;
  timings: Record<string, number>;
  lines: DocLine[];
}

export interface ViewDoc {
  file: string;
  /** Object URL of the dropped image, for display. */
  imageUrl: string | null;
  pages: DocPage[];
  ms: number;
  undo: string[];
  redo: string[];
}

let nextKey = 1;

export function fromResult(doc: OcrDocument, imageUrl: string | null): ViewDoc {
  return {
    file: doc.file,
    imageUrl,
    ms: doc.ms,
    undo: [],
    redo: [],
    pages: doc.pages.map((p: OcrPageResult) => ({
      index: p.index,
      width: p.width,
      height: p.height,
      skewDegrees: p.skewDegrees,
      binarize: p.binarize,
      timings: p.timings,
      lines: p.lines.map((l) => ({
        box: l.box as Box,
        text: l.text,
        chars: l.chars.map((c) => ({ ...c, box: c.box as Box, key: nextKey++ })),
      })),
    })),
  };
}

/** The document in the contract's form (without crops), for exports. */
export function toResult(doc: ViewDoc): OcrDocument {
  return {
    file: doc.file,
    ms: doc.ms,
    pages: doc.pages.map((p) => ({
      source: doc.file,
      index: p.index,
      width: p.width,
      height: p.height,
      skewDegrees: p.skewDegrees,
      binarize: p.binarize === 'sauvola' ? 'sauvola' : 'otsu',
      timings: p.timings,
      text: p.lines.map((l) => l.text).join('\n'),
      lines: p.lines.map((l) => ({
        text: l.text,
        box: l.box,
        chars: l.chars.map((c) => ({ box: c.box, char: c.char, confidence: c.confidence, alternatives: c.alternatives })),
      })),
    })),
  };
}

/** A line's text from its characters: a space where the gap is wider than half the median height. */
export function lineText(chars: DocChar[]): string {
  if (chars.length === 0) return '';
  const heights = chars.map((c) => c.box[3]).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] ?? 1;
  let out = chars[0]!.char;
  for (let i = 1; i < chars.length; i++) {
    const prev = chars[i - 1]!;
    const cur = chars[i]!;
    const gap = cur.box[0] - (prev.box[0] + prev.box[2]);
    out += (gap > median * 0.5 ? ' ' : '') + cur.char;
  }
  return out;
}

export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a[0], b[0]);
  const y = Math.min(a[1], b[1]);
  return [x, y, Math.max(a[0] + a[2], b[0] + b[2]) - x, Math.max(a[1] + a[3], b[1] + b[3]) - y];
}

function refreshLine(line: DocLine): void {
  line.chars.sort((a, b) => a.box[0] - b.box[0]);
  line.text = lineText(line.chars);
  if (line.chars.length) line.box = line.chars.map((c) => c.box).reduce(unionBox);
}

export interface CharRef {
  line: number;
  char: number;
}

/** Applies one edit to a page, recording the page before it for undo. */
export function edit(doc: ViewDoc, page: DocPage, fn: (p: DocPage) => void): void {
  doc.undo.push(JSON.stringify(page.lines));
  if (doc.undo.length > 200) doc.undo.shift();
  doc.redo = [];
  fn(page);
}

export function undo(doc: ViewDoc, page: DocPage): boolean {
  const prev = doc.undo.pop();
  if (prev === undefined) return false;
  doc.redo.push(JSON.stringify(page.lines));
  page.lines = JSON.parse(prev) as DocLine[];
  return true;
}

export function redo(doc: ViewDoc, page: DocPage): boolean {
  const next = doc.redo.pop();
  if (next === undefined) return false;
  doc.undo.push(JSON.stringify(page.lines));
  page.lines = JSON.parse(next) as DocLine[];
  return true;
}

export function setChar(page: DocPage, ref: CharRef, char: string): void {
  const line = page.lines[ref.line];
  const c = line?.chars[ref.char];
  if (!line || !c) return;
  c.char = char;
  c.corrected = true;
  c.confidence = 1;
  refreshLine(line);
}

export function deleteChar(page: DocPage, ref: CharRef): void {
  const line = page.lines[ref.line];
  if (!line) return;
  line.chars.splice(ref.char, 1);
  if (line.chars.length === 0) page.lines.splice(ref.line, 1);
  else refreshLine(line);
}

/** Merges a character with the next one on its line (one character broken in two). */
export function mergeWithNext(page: DocPage, ref: CharRef): void {
  const line = page.lines[ref.line];
  const a = line?.chars[ref.char];
  const b = line?.chars[ref.char + 1];
  if (!line || !a || !b) return;
  a.box = unionBox(a.box, b.box);
  a.char = '?';
  a.confidence = 0;
  a.alternatives = [];
  delete a.crop;
  line.chars.splice(ref.char + 1, 1);
  refreshLine(line);
}

/** Splits a character's box into two halves (two touching characters read as one). */
export function split(page: DocPage, ref: CharRef): void {
  const line = page.lines[ref.line];
  const c = line?.chars[ref.char];
  if (!line || !c) return;
  const [x, y, w, h] = c.box;
  const left = Math.floor(w / 2);
  const a: DocChar = { key: nextKey++, box: [x, y, left, h], char: '?', confidence: 0, alternatives: [] };
  const b: DocChar = { key: nextKey++, box: [x + left, y, w - left, h], char: '?', confidence: 0, alternatives: [] };
  line.chars.splice(ref.char, 1, a, b);
  refreshLine(line);
}

/** Adds a box the reader missed, to the line it overlaps most (or a new line). */
export function addBox(page: DocPage, box: Box): CharRef {
  const c: DocChar = { key: nextKey++, box, char: '?', confidence: 0, alternatives: [] };
  const cy = box[1] + box[3] / 2;
  let best = -1;
  for (let i = 0; i < page.lines.length; i++) {
    const lb = page.lines[i]!.box;
    if (cy >= lb[1] && cy <= lb[1] + lb[3]) {
      best = i;
      break;
    }
  }
  if (best < 0) {
    const line: DocLine = { box, text: '?', chars: [c] };
    const at = page.lines.findIndex((l) => l.box[1] > box[1]);
    best = at < 0 ? page.lines.length : at;
    page.lines.splice(best, 0, line);
  } else {
    page.lines[best]!.chars.push(c);
    refreshLine(page.lines[best]!);
  }
  const line = page.lines[best]!;
  return { line: best, char: line.chars.indexOf(c) };
}

/** Characters in reading order, least confident first (for Tab). */
export function reviewOrder(page: DocPage): CharRef[] {
  const refs: (CharRef & { conf: number })[] = [];
  page.lines.forEach((l, li) => l.chars.forEach((c, ci) => refs.push({ line: li, char: ci, conf: c.corrected ? 2 : c.confidence })));
  return refs.sort((a, b) => a.conf - b.conf).map(({ line, char }) => ({ line, char }));
}

export function confidenceColor(c: DocChar): string {
  if (c.corrected) return '#4c8dff';
  if (c.confidence >= 0.9) return '#3fb950';
  if (c.confidence >= 0.6) return '#d29922';
  return '#f85149';
}
