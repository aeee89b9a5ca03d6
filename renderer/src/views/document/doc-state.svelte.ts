/**
 * The Document view's state: the documents read, the page shown, the selected character, and the
 * person's edits (correct, delete, add, merge, split) with an undo stack per document.
 */
import type { BUILTIN_PROFILES, OcrCharResult, OcrDocument, OcrPageResult, ReadingProfile } from '$common/contract';
import type { Box, CharRef, DocChar, DocLine, DocPage, DocWord } from './page-types';
import { lineConfidence, lineText, unionBox, wordsOf } from './review';

/** Where a document came from, to read it again (a path in Electron, the file itself in browser mode). */
export type DocSource = { path: string } | { file: File };

export interface ViewDoc {
  file: string;
  source: DocSource;
  /** The profile it was last read with (a built-in's name or a whole profile), for ocr.readBoxes. */
  readWith: (typeof BUILTIN_PROFILES)[number] | ReadingProfile;
  /** Object URL of the dropped image, for display. */
  imageUrl: string | null;
  pages: DocPage[];
  ms: number;
  undo: string[];
  redo: string[];
}

let nextKey = 1;

export type { Box, CharRef, DocChar, DocLine, DocPage, DocWord };

/** A page from the core's answer; words and confidences are worked out here when an older core left them out. */
export function pageFromResult(p: OcrPageResult): DocPage {
  return {
    index: p.index,
    width: p.width,
    height: p.height,
    skewDegrees: p.skewDegrees,
    binarize: p.binarize,
    timings: p.timings,
    profile: p.profile ?? 'text',
    ...(p.pageKey ? { pageKey: p.pageKey } : {}),
    lines: p.lines.map((l) => {
      const chars = l.chars.map((c) => ({ ...c, box: c.box as Box, key: nextKey++ }));
      const words = (l.words as DocWord[] | undefined) ?? wordsOf(chars);
      return { box: l.box as Box, text: l.text, confidence: l.confidence ?? lineConfidence(words), words, chars };
    }),
  };
}

export function fromResult(doc: OcrDocument, source: DocSource, readWith: ViewDoc['readWith'], imageUrl: string | null): ViewDoc {
  return { file: doc.file, source, readWith, imageUrl, ms: doc.ms, undo: [], redo: [], pages: doc.pages.map(pageFromResult) };
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
      profile: p.profile,
      text: p.lines.map((l) => l.text).join('\n'),
      lines: p.lines.map((l) => ({
        text: l.text,
        box: l.box,
        confidence: l.confidence,
        words: l.words,
        chars: l.chars.map((c) => ({ box: c.box, char: c.char, confidence: c.confidence, alternatives: c.alternatives })),
      })),
    })),
  };
}

/** After an edit: reading order, text, words and confidences from the line's characters. */
function refreshLine(line: DocLine): void {
  line.chars.sort((a, b) => a.box[0] - b.box[0]);
  line.words = wordsOf(line.chars);
  line.text = lineText(line.chars);
  line.confidence = lineConfidence(line.words);
  if (line.chars.length) line.box = line.chars.map((c) => c.box).reduce(unionBox);
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

/** A box not read yet (`?` until ocr.readBoxes answers). */
function unread(box: Box): DocChar {
  return { key: nextKey++, box, char: '?', confidence: 0, alternatives: [] };
}

/** Merges a character with the next one on its line (one character broken in two); returns the new box's key. */
export function mergeWithNext(page: DocPage, ref: CharRef): number[] {
  const line = page.lines[ref.line];
  const a = line?.chars[ref.char];
  const b = line?.chars[ref.char + 1];
  if (!line || !a || !b) return [];
  const merged = unread(unionBox(a.box, b.box));
  line.chars.splice(ref.char, 2, merged);
  refreshLine(line);
  return [merged.key];
}

/** Splits a character's box into two halves (two touching characters read as one); returns their keys. */
export function split(page: DocPage, ref: CharRef): number[] {
  const line = page.lines[ref.line];
  const c = line?.chars[ref.char];
  if (!line || !c || c.box[2] < 2) return [];
  const [x, y, w, h] = c.box;
  const left = Math.floor(w / 2);
  const a = unread([x, y, left, h]);
  const b = unread([x + left, y, w - left, h]);
  line.chars.splice(ref.char, 1, a, b);
  refreshLine(line);
  return [a.key, b.key];
}

/** Where a character is now (edits move characters between indices). */
export function findChar(page: DocPage, key: number): CharRef | null {
  for (let li = 0; li < page.lines.length; li++) {
    const ci = page.lines[li]!.chars.findIndex((c) => c.key === key);
    if (ci >= 0) return { line: li, char: ci };
  }
  return null;
}

/** Fills boxes with what ocr.readBoxes read in them (boxes gone since, by undo or another edit, are skipped). */
export function fillChars(page: DocPage, keys: number[], read: OcrCharResult[]): void {
  keys.forEach((key, i) => {
    const at = findChar(page, key);
    const r = read[i];
    if (!at || !r) return;
    const line = page.lines[at.line]!;
    const c = line.chars[at.char]!;
    if (c.corrected) return;
    c.char = r.char;
    c.confidence = r.confidence;
    c.alternatives = r.alternatives;
    if (r.crop) c.crop = r.crop;
    else delete c.crop;
    refreshLine(line);
  });
}

/**
 * A page read again (another profile) in place of the old one: a glyph the person corrected keeps its
 * correction where the new reading has a box at the same place.
 */
export function carryCorrections(old: DocPage, fresh: DocPage): number {
  const corrected = new Map<string, DocChar>();
  for (const c of old.lines.flatMap((l) => l.chars)) if (c.corrected) corrected.set(c.box.join(','), c);
  let kept = 0;
  for (const line of fresh.lines) {
    let touched = false;
    for (const c of line.chars) {
      const was = corrected.get(c.box.join(','));
      if (!was) continue;
      c.char = was.char;
      c.corrected = true;
      c.confidence = 1;
      touched = true;
      kept++;
    }
    if (touched) refreshLine(line);
  }
  return kept;
}

/** Adds a box the reader missed, to the line it overlaps most (or a new line). */
export function addBox(page: DocPage, box: Box): CharRef {
  const c = unread(box);
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
    const line: DocLine = { box, text: '?', confidence: 0, words: [], chars: [c] };
    refreshLine(line);
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

export function confidenceColor(c: DocChar): string {
  if (c.corrected) return '#4c8dff';
  if (c.confidence >= 0.9) return '#3fb950';
  if (c.confidence >= 0.6) return '#d29922';
  return '#f85149';
}
