/**
 * Review order for the Document view: words of a line from its characters, how certain a glyph,
 * a word and a line are (a corrected glyph counts as certain), and "least certain next" for glyphs
 * (Tab) and words (Enter), recomputed from the page as it is after every edit.
 */
import type { Box, CharRef, DocChar, DocLine, DocPage, DocWord } from './page-types';

/** A glyph's certainty for review: 1 once the person corrected it. */
export function certainty(c: DocChar): number {
  return c.corrected ? 1 : c.confidence;
}

export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a[0], b[0]);
  const y = Math.min(a[1], b[1]);
  return [x, y, Math.max(a[0] + a[2], b[0] + b[2]) - x, Math.max(a[1] + a[3], b[1] + b[3]) - y];
}

function medianHeight(chars: DocChar[]): number {
  const heights = chars.map((c) => c.box[3]).sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 1;
}

/** The text before each glyph: the reader's own where it gave one, else a space where the gap is wider than half the median height. */
function separators(chars: DocChar[]): string[] {
  const median = medianHeight(chars);
  return chars.map((c, i) => {
    if (c.sep !== undefined) return c.sep;
    const prev = chars[i - 1];
    return prev && c.box[0] - (prev.box[0] + prev.box[2]) > median * 0.5 ? ' ' : '';
  });
}

/** Characters grouped into words: a new word after a space (or a grid's empty cell). */
export function splitWords(chars: DocChar[]): DocChar[][] {
  const seps = separators(chars);
  const words: DocChar[][] = [];
  chars.forEach((c, i) => {
    if (i === 0 || seps[i]!.length > 0) words.push([c]);
    else words[words.length - 1]!.push(c);
  });
  return words;
}

/** A line's words with their confidence (the least certain glyph's). */
export function wordsOf(chars: DocChar[]): DocWord[] {
  return splitWords(chars).map((w) => ({
    text: w.map((c) => c.char).join(''),
    box: w.map((c) => c.box).reduce(unionBox),
    confidence: Math.min(...w.map(certainty)),
  }));
}

/** A line's text: each glyph after its separator, then the line's tail. */
export function lineText(chars: DocChar[], tail = ''): string {
  const seps = separators(chars);
  return chars.map((c, i) => seps[i] + c.char).join('') + tail;
}

/**
 * The reader's separators from its line text (spaces, a grid's `.` for empty cells), set on the glyphs;
 * false (nothing set) when the text does not hold the glyphs in order with only those between them.
 */
export function alignSeparators(text: string, chars: DocChar[]): { tail: string } | false {
  const seps: string[] = [];
  let at = 0;
  for (const c of chars) {
    const i = text.indexOf(c.char, at);
    if (i < 0 || !/^[\s.]*$/.test(text.slice(at, i))) return false;
    seps.push(text.slice(at, i));
    at = i + c.char.length;
  }
  const tail = text.slice(at);
  if (!/^[\s.]*$/.test(tail)) return false;
  chars.forEach((c, i) => (c.sep = seps[i]));
  return { tail };
}

/** The least certain word's confidence (1 for an empty line). */
export function lineConfidence(words: DocWord[]): number {
  return words.length ? Math.min(...words.map((w) => w.confidence)) : 1;
}

/** Indices of a line's characters whose centre lies inside a word's box. */
export function charsInWord(line: DocLine, word: DocWord): number[] {
  const [x, y, w, h] = word.box;
  const out: number[] = [];
  line.chars.forEach((c, i) => {
    const cx = c.box[0] + c.box[2] / 2;
    const cy = c.box[1] + c.box[3] / 2;
    if (cx >= x - 1 && cx <= x + w + 1 && cy >= y - 1 && cy <= y + h + 1) out.push(i);
  });
  return out;
}

/** A word's certainty for review: 1 when every glyph in it was corrected, else the word's own confidence. */
export function wordCertainty(line: DocLine, word: DocWord): number {
  const idx = charsInWord(line, word);
  if (idx.length > 0 && idx.every((i) => line.chars[i]!.corrected)) return 1;
  return Math.min(word.confidence, ...idx.map((i) => certainty(line.chars[i]!)));
}

/** Where the review stands: the confidence and key of the last item visited (stable across edits). */
export interface ReviewMark {
  confidence: number;
  key: number;
}

function before(a: ReviewMark, b: ReviewMark): boolean {
  return a.confidence < b.confidence || (a.confidence === b.confidence && a.key < b.key);
}

/** The item after (dir 1) or before (dir -1) a mark in least-certain-first order, wrapping around. */
function step<T extends { mark: ReviewMark }>(items: T[], from: ReviewMark | null, dir: 1 | -1): T | null {
  if (items.length === 0) return null;
  items.sort((a, b) => (before(a.mark, b.mark) ? -1 : before(b.mark, a.mark) ? 1 : 0));
  if (!from) return dir === 1 ? items[0]! : items[items.length - 1]!;
  if (dir === 1) return items.find((i) => before(from, i.mark)) ?? items[0]!;
  return [...items].reverse().find((i) => before(i.mark, from)) ?? items[items.length - 1]!;
}

/** Tab: the next least certain glyph that the person has not corrected. */
export function nextGlyph(page: DocPage, from: ReviewMark | null, dir: 1 | -1 = 1): { ref: CharRef; mark: ReviewMark } | null {
  const items: { ref: CharRef; mark: ReviewMark }[] = [];
  page.lines.forEach((l, line) =>
    l.chars.forEach((c, char) => {
      if (!c.corrected) items.push({ ref: { line, char }, mark: { confidence: c.confidence, key: c.key } });
    }),
  );
  return step(items, from, dir);
}

export interface WordRef {
  line: number;
  word: number;
}

/** Enter: the next least certain word that still holds an uncorrected glyph. */
export function nextWord(page: DocPage, from: ReviewMark | null, dir: 1 | -1 = 1): { ref: WordRef; mark: ReviewMark; chars: number[] } | null {
  const items: { ref: WordRef; mark: ReviewMark; chars: number[] }[] = [];
  page.lines.forEach((l, line) =>
    l.words.forEach((w, word) => {
      const chars = charsInWord(l, w);
      if (!chars.some((i) => !l.chars[i]!.corrected)) return;
      items.push({ ref: { line, word }, mark: { confidence: wordCertainty(l, w), key: l.chars[chars[0]!]!.key }, chars });
    }),
  );
  return step(items, from, dir);
}

/** Words under a confidence threshold, least certain first (for the outline and the side list). */
export function uncertainWords(page: DocPage, threshold: number): { ref: WordRef; text: string; confidence: number }[] {
  const out: { ref: WordRef; text: string; confidence: number }[] = [];
  page.lines.forEach((l, line) =>
    l.words.forEach((w, word) => {
      const confidence = wordCertainty(l, w);
      if (confidence < threshold) out.push({ ref: { line, word }, text: w.text, confidence });
    }),
  );
  return out.sort((a, b) => a.confidence - b.confidence);
}
