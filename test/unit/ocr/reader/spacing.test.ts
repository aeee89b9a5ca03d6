import { describe, expect, it } from 'vitest';
import type { Lattice } from '../../../../main/core/ocr/reader/lattice';
import { defaultLanguageModel } from '../../../../main/core/ocr/reader/language';
import { allowedClasses, resolveProfile } from '../../../../main/core/ocr/reader/profiles';
import { searchLine } from '../../../../main/core/ocr/reader/search';
import { shapedGap } from '../../../../main/core/ocr/reader/spacing';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LH = 30;
const CHAR_W = 20;
const SPACE_GAP = 10;

/**
 * A line drawn as boxes: each glyph a width (pixels) and the gap before it (pixels), the classifier
 * sure of its class. The line's word-space threshold is 10 px, its characters 20 px wide.
 */
function line(glyphs: { c: string; w: number; gap: number }[]): { lattice: Lattice; probs: Float32Array } {
  const atoms: Lattice['atoms'] = [];
  const gapRatio: number[] = [];
  let x = 0;
  for (const [i, g] of glyphs.entries()) {
    x += i ? g.gap : 0;
    atoms.push({ x0: x, y0: 0, x1: x + g.w, y1: LH, labels: [i + 1], clipX0: x, clipX1: x + g.w });
    gapRatio.push(i ? g.gap / SPACE_GAP : 0);
    x += g.w;
  }
  gapRatio.push(0);
  const edges = atoms.map((a, i) => ({ from: i, to: i + 1, glyph: a, aspect: (a.x1 - a.x0) / LH, height: 1, cuts: 0, joins: 0 }));
  const probs = Float32Array.from(glyphs.flatMap((g) => [...CLASSES].map((c) => (c === g.c ? 0.97 : 0.03 / 35))));
  return { lattice: { atoms, edges, gapRatio, lineHeight: LH, widthScale: 1, charWidth: CHAR_W, spaceGap: SPACE_GAP }, probs };
}

function read(glyphs: { c: string; w: number; gap: number }[]): string {
  const { lattice, probs } = line(glyphs);
  const profile = resolveProfile('text');
  const path = searchLine({ lattice, probs, classes: CLASSES, allowed: allowedClasses(profile, CLASSES), profile, lm: defaultLanguageModel() });
  return path.map((s) => (s.spaceBefore ? ' ' : '') + CLASSES[s.cls]).join('');
}

/** Digits 18 px wide with 3 px between them; a 1 only 6 px wide, centred in a cell as wide as the others. */
const digit = (c: string, gap = 3) => ({ c, w: c === '1' ? 6 : 18, gap: c === '1' ? gap + 6 : gap });

describe('spacing by the characters’ shapes', () => {
  it('a narrow 1 in a digit-wide cell gets no space beside it: 2011, 1 then 7', () => {
    // Between two 1s the gap is 15 px (their cells' margins), wider than the 10 px threshold.
    const glyphs = [digit('2'), digit('0'), digit('1'), { c: '1', w: 6, gap: 15 }, { c: '7', w: 18, gap: 9 }];
    expect(read(glyphs)).toBe('20117');
    // The same boxes read as letters keep the space the gap says (an I has no digit cell).
    const { lattice } = line(glyphs);
    expect(shapedGap(lattice, 1.5, lattice.edges[2]!, '1', lattice.edges[3]!, '1')).toBeLessThan(0.75);
    expect(shapedGap(lattice, 1.5, lattice.edges[2]!, 'I', lattice.edges[3]!, 'I')).toBeGreaterThan(1.25);
  });

  it('a space after a narrow 1 stays when the gap is a word space beyond the cell', () => {
    const glyphs = [digit('2'), digit('1'), { c: '7', w: 18, gap: 6 + 14 }, digit('5')];
    expect(read(glyphs)).toBe('21 75');
  });

  it('a J’s hook reaching into the gap does not hide the space before it: BY JUNE', () => {
    const lettersGap = 4;
    const glyphs = [
      { c: 'B', w: 18, gap: 0 },
      { c: 'Y', w: 20, gap: lettersGap },
      { c: 'J', w: 10, gap: 9 },
      { c: 'U', w: 18, gap: lettersGap },
      { c: 'N', w: 18, gap: lettersGap },
      { c: 'E', w: 16, gap: lettersGap },
    ];
    const { lattice } = line(glyphs);
    // 9 px is under the threshold as measured, over it once the shapes are taken into account.
    expect(shapedGap(lattice, 0.9, lattice.edges[1]!, 'Y', lattice.edges[2]!, 'J')).toBeGreaterThan(1);
    expect(shapedGap(lattice, 0.9, lattice.edges[0]!, 'B', lattice.edges[1]!, 'E')).toBeLessThan(1);
    expect(read(glyphs)).toBe('BY JUNE');
  });
});
