import { describe, expect, it } from 'vitest';
import { addBox, carryCorrections, deleteChar, fillChars, findChar, mergeWithNext, newKey, setChar, split } from '../../../renderer/src/views/document/page-edits';
import type { DocChar, DocLine, DocPage } from '../../../renderer/src/views/document/page-types';
import { alignSeparators, lineConfidence, wordsOf } from '../../../renderer/src/views/document/review';

/** A line as the reader gives it: `text` with glyphs 10 px wide every 12 px (a separator character takes a 12 px slot too). */
function line(y: number, text: string): DocLine {
  const chars: DocChar[] = [];
  [...text].forEach((ch, i) => {
    if (ch !== ' ' && ch !== '.') chars.push({ key: newKey(), box: [i * 12, y, 10, 20], char: ch, confidence: 0.5, alternatives: [] });
  });
  const aligned = alignSeparators(text, chars);
  const words = wordsOf(chars);
  const out: DocLine = { box: [0, y, text.length * 12, 20], text, confidence: lineConfidence(words), words, chars };
  if (aligned && aligned.tail) out.tail = aligned.tail;
  return out;
}

function page(...texts: string[]): DocPage {
  return { index: 0, width: 400, height: 200, skewDegrees: 0, binarize: 'otsu', timings: {}, profile: 'text', lines: texts.map((t, i) => line(i * 40, t)) };
}

const texts = (p: DocPage) => p.lines.map((l) => l.text);

describe('Document page edits keep the reader’s text around the glyphs', () => {
  it('a correction changes only its glyph: spaces and a grid row’s empty cells stay', () => {
    const p = page('HELLO WORLD', '53..7....');
    setChar(p, { line: 0, char: 5 }, 'M');
    setChar(p, { line: 1, char: 2 }, '1');
    expect(texts(p)).toEqual(['HELLO MORLD', '53..1....']);
    expect(p.lines[0]!.words.map((w) => w.text)).toEqual(['HELLO', 'MORLD']);
    // The corrected glyph is certain; the word's confidence is its least certain glyph's.
    expect(p.lines[0]!.chars[5]!).toMatchObject({ corrected: true, confidence: 1 });
    expect(p.lines[0]!.words[1]!.confidence).toBe(0.5);
  });

  it('deleting keeps a word break, and leaves an empty cell in a grid row', () => {
    const p = page('HELLO WORLD', '53..7....', '.3..7....');
    deleteChar(p, { line: 0, char: 5 });
    deleteChar(p, { line: 1, char: 2 });
    deleteChar(p, { line: 1, char: 0 });
    deleteChar(p, { line: 2, char: 0 });
    expect(texts(p)).toEqual(['HELLO ORLD', '.3.......', '....7....']);
  });

  it('split gives two unread boxes in place of one (no space between them); merge gives one back', () => {
    const p = page('AB CD');
    const keys = split(p, { line: 0, char: 2 });
    expect(keys).toHaveLength(2);
    expect(texts(p)).toEqual(['AB ??D']);
    expect(p.lines[0]!.chars.map((c) => c.box[2])).toEqual([10, 10, 5, 5, 10]);
    fillChars(p, keys, [
      { char: 'C', confidence: 0.8, alternatives: [] },
      { char: 'L', confidence: 0.7, alternatives: [], crop: 'png' },
    ]);
    expect(texts(p)).toEqual(['AB CLD']);
    expect(p.lines[0]!.chars[3]!.crop).toBe('png');
    const merged = mergeWithNext(p, findChar(p, keys[0]!)!);
    expect(texts(p)).toEqual(['AB ?D']);
    expect(p.lines[0]!.chars[2]!.box).toEqual([36, 0, 10, 20]);
    // A box gone since (undo, another edit) is skipped when its reading arrives.
    fillChars(p, keys, [{ char: 'X', confidence: 1, alternatives: [] }]);
    fillChars(p, merged, [{ char: 'C', confidence: 0.9, alternatives: [] }]);
    expect(texts(p)).toEqual(['AB CD']);
  });

  it('an added box joins the line it overlaps, spaced by its gap; elsewhere it starts a line', () => {
    const p = page('AB', 'CD');
    const ref = addBox(p, [60, 2, 10, 18]);
    expect(ref).toEqual({ line: 0, char: 2 });
    expect(texts(p)).toEqual(['AB ?', 'CD']);
    expect(addBox(p, [0, 100, 10, 20])).toEqual({ line: 2, char: 0 });
    expect(texts(p)).toEqual(['AB ?', 'CD', '?']);
  });

  it('a new reading keeps the corrections where it has a box at the same place', () => {
    const old = page('HELLO');
    setChar(old, { line: 0, char: 0 }, 'J');
    const fresh = page('4E110');
    expect(carryCorrections(old, fresh)).toBe(1);
    expect(texts(fresh)).toEqual(['JE110']);
    expect(fresh.lines[0]!.chars[0]!.corrected).toBe(true);
  });

  it('a line text that does not hold its glyphs in order falls back to spaces by gap', () => {
    const chars: DocChar[] = [{ key: newKey(), box: [0, 0, 10, 20], char: 'A', confidence: 1, alternatives: [] }];
    expect(alignSeparators('B', chars)).toBe(false);
    expect(alignSeparators('A-', chars)).toBe(false);
    expect(chars[0]!.sep).toBeUndefined();
  });
});
