/**
 * The Document view's documents: what the core read turned into the view's pages (and back, for
 * exports), where each came from, and an undo stack of page edits per document.
 */
import type { BUILTIN_PROFILES, OcrDocument, OcrPageResult, ReadingProfile } from '$common/contract';
import type { Box, DocLine, DocPage, DocWord } from './page-types';
import { newKey } from './page-edits';
import { alignSeparators, lineConfidence, wordsOf } from './review';

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
      const chars = l.chars.map((c) => ({ ...c, box: c.box as Box, key: newKey() }));
      const aligned = alignSeparators(l.text, chars);
      const words = (l.words as DocWord[] | undefined) ?? wordsOf(chars);
      const line: DocLine = { box: l.box as Box, text: l.text, confidence: l.confidence ?? lineConfidence(words), words, chars };
      if (aligned && aligned.tail) line.tail = aligned.tail;
      return line;
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

