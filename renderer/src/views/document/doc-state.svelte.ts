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

/** What undo restores of a page: its glyphs, and the reading they came from. */
interface PageSnapshot {
  index: number;
  lines: DocLine[];
  profile: string;
  pageKey?: string;
}

function snapshot(page: DocPage): string {
  const snap: PageSnapshot = { index: page.index, lines: page.lines, profile: page.profile, ...(page.pageKey ? { pageKey: page.pageKey } : {}) };
  return JSON.stringify(snap);
}

/** Puts a snapshot back on its page (which may not be the page shown); returns the page's place in the document. */
function restore(doc: ViewDoc, json: string, other: string[]): number {
  const snap = JSON.parse(json) as PageSnapshot;
  const at = doc.pages.findIndex((p) => p.index === snap.index);
  const page = doc.pages[at];
  if (!page) return -1;
  other.push(snapshot(page));
  page.lines = snap.lines;
  page.profile = snap.profile;
  if (snap.pageKey) page.pageKey = snap.pageKey;
  else delete page.pageKey;
  return at;
}

/** Applies one edit to a page, recording the page before it for undo. */
export function edit(doc: ViewDoc, page: DocPage, fn: (p: DocPage) => void): void {
  doc.undo.push(snapshot(page));
  if (doc.undo.length > 200) doc.undo.shift();
  doc.redo = [];
  fn(page);
}

/** Undoes the document's last edit, on whichever page it was; returns that page's place, or -1. */
export function undo(doc: ViewDoc): number {
  const prev = doc.undo.pop();
  return prev === undefined ? -1 : restore(doc, prev, doc.redo);
}

export function redo(doc: ViewDoc): number {
  const next = doc.redo.pop();
  return next === undefined ? -1 : restore(doc, next, doc.undo);
}
