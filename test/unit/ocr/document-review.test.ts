import { describe, expect, it } from 'vitest';
import type { DocChar, DocPage } from '../../../renderer/src/views/document/page-types';
import { lineConfidence, lineText, nextGlyph, nextWord, uncertainWords, wordsOf, type ReviewMark } from '../../../renderer/src/views/document/review';

let key = 1;
/** A line of glyphs 10 px wide, 20 px tall; a space in `text` leaves a 20 px gap. */
function line(y: number, text: string, conf: number[]): DocPage['lines'][number] {
  const chars: DocChar[] = [];
  let x = 0;
  let i = 0;
  for (const ch of text) {
    if (ch === ' ') {
      x += 20;
      continue;
    }
    chars.push({ key: key++, box: [x, y, 10, 20], char: ch, confidence: conf[i++]!, alternatives: [] });
    x += 12;
  }
  const words = wordsOf(chars);
  return { box: [0, y, x, 20], text: lineText(chars), confidence: lineConfidence(words), words, chars };
}

function page(): DocPage {
  return {
    index: 0, width: 200, height: 100, skewDegrees: 0, binarize: 'otsu', timings: {}, profile: 'text',
    lines: [line(0, 'AB CD', [0.9, 0.2, 1, 0.5]), line(40, 'EF', [0.3, 0.99]), line(80, 'GH', [1, 1])],
  };
}

/** Tab pressed n times from nothing, correcting each glyph visited when `correct` says so. */
function tabs(p: DocPage, n: number, correct: (char: string) => boolean): string[] {
  const seen: string[] = [];
  let mark: ReviewMark | null = null;
  for (let i = 0; i < n; i++) {
    const next = nextGlyph(p, mark, 1);
    if (!next) break;
    const c = p.lines[next.ref.line]!.chars[next.ref.char]!;
    seen.push(c.char);
    mark = next.mark;
    if (correct(c.char)) {
      c.corrected = true;
      c.confidence = 1;
    }
  }
  return seen;
}

describe('Document review order', () => {
  it('words, their confidence (least certain glyph) and the line confidence come from the glyphs', () => {
    const p = page();
    expect(p.lines[0]!.text).toBe('AB CD');
    expect(p.lines[0]!.words.map((w) => [w.text, w.confidence])).toEqual([['AB', 0.2], ['CD', 0.5]]);
    expect(p.lines[0]!.confidence).toBe(0.2);
  });

  it('Tab visits glyphs least certain first', () => {
    expect(tabs(page(), 5, () => false)).toEqual(['B', 'E', 'D', 'A', 'F']);
  });

  it('after a correction Tab goes on to the next least certain glyph, never back to corrected or already visited ones', () => {
    const p = page();
    // Correct B and D, accept E as it is.
    expect(tabs(p, 5, (c) => c === 'B' || c === 'D')).toEqual(['B', 'E', 'D', 'A', 'F']);
    // Corrected glyphs are out of the order; a fresh round starts with the least certain left.
    expect(tabs(p, 3, () => false)).toEqual(['E', 'A', 'F']);
    for (const l of p.lines) for (const c of l.chars) c.corrected = true;
    expect(nextGlyph(p, null)).toBeNull();
  });

  it('Shift+Tab goes back through the same order, wrapping around', () => {
    const p = page();
    const first = nextGlyph(p, null, 1)!;
    const back = nextGlyph(p, first.mark, -1)!;
    // Before the least certain: the most certain glyph not corrected (H, the last of those at 100%).
    expect(p.lines[back.ref.line]!.chars[back.ref.char]!.char).toBe('H');
  });

  it('Enter visits words least certain first, certain ones last; a word whose glyphs are all corrected is done', () => {
    const p = page();
    const w1 = nextWord(p, null)!;
    expect(p.lines[w1.ref.line]!.words[w1.ref.word]!.text).toBe('AB');
    const w2 = nextWord(p, w1.mark)!;
    expect(p.lines[w2.ref.line]!.words[w2.ref.word]!.text).toBe('EF');
    for (const c of p.lines[1]!.chars) c.corrected = true;
    const order: string[] = [];
    let mark: ReviewMark | null = null;
    for (let i = 0; i < 4; i++) {
      const w: NonNullable<ReturnType<typeof nextWord>> = nextWord(p, mark)!;
      order.push(p.lines[w.ref.line]!.words[w.ref.word]!.text);
      mark = w.mark;
    }
    // A word read at 100% is still visited (last): only a fully corrected word is done.
    expect(order).toEqual(['AB', 'CD', 'GH', 'AB']);
    expect(uncertainWords(p, 0.6).map((w) => w.text)).toEqual(['AB', 'CD']);
    expect(uncertainWords(p, 0.3).map((w) => w.text)).toEqual(['AB']);
  });
});
