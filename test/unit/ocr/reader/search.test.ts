import { describe, expect, it } from 'vitest';
import { readingProfile } from '../../../../main/common/contract/ocr';
import { isGlyphError } from '../../../../main/common/errors';
import type { Lattice } from '../../../../main/core/ocr/reader/lattice';
import { defaultLanguageModel } from '../../../../main/core/ocr/reader/language';
import { CharLm, countNgrams } from '../../../../main/core/ocr/reader/lm';
import { compilePattern, PatternSet } from '../../../../main/core/ocr/reader/patterns';
import { allowedClasses, BUILTIN, parseCharset, resolveProfile } from '../../../../main/core/ocr/reader/profiles';
import { searchLine } from '../../../../main/core/ocr/reader/search';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A line of one-atom glyphs, each with the classifier's belief given as {char: p} (the rest spread
 * thin), spaces where the text has them: the search sees only these numbers, no image.
 */
function line(beliefs: (Record<string, number> | ' ')[]): { lattice: Lattice; probs: Float32Array } {
  const atoms: Lattice['atoms'] = [];
  const gapRatio: number[] = [];
  const rows: number[][] = [];
  let space = false;
  for (const b of beliefs) {
    if (b === ' ') {
      space = true;
      continue;
    }
    const x = atoms.length * 30;
    atoms.push({ x0: x, y0: 0, x1: x + 14, y1: 20, labels: [atoms.length + 1], clipX0: x, clipX1: x + 14 });
    gapRatio.push(space ? 3 : 0);
    space = false;
    const given = Object.values(b).reduce((a, p) => a + p, 0);
    const rest = (1 - given) / (CLASSES.length - Object.keys(b).length);
    rows.push([...CLASSES].map((c) => b[c] ?? rest));
  }
  gapRatio.push(0);
  const edges = atoms.map((g, i) => ({ from: i, to: i + 1, glyph: g, aspect: 0.7, height: 1, cuts: 0, joins: 0 }));
  return { lattice: { atoms, edges, gapRatio, lineHeight: 20, widthScale: 1, charWidth: 14, spaceGap: 8 }, probs: Float32Array.from(rows.flat()) };
}

function read(beliefs: (Record<string, number> | ' ')[], profileIn: Parameters<typeof resolveProfile>[0] = 'text'): string {
  const { lattice, probs } = line(beliefs);
  const profile = resolveProfile(profileIn);
  const path = searchLine({ lattice, probs, classes: CLASSES, allowed: allowedClasses(profile, CLASSES), profile, lm: defaultLanguageModel() });
  return path.map((s) => (s.spaceBefore ? ' ' : '') + CLASSES[s.cls]).join('');
}

const ring = { '0': 0.6, O: 0.4 };
const bar = { '1': 0.6, I: 0.4 };

describe('language model', () => {
  it('ships and prefers ROOM to R00M and 2041 to 2O41', () => {
    const lm = defaultLanguageModel();
    expect(lm).not.toBeNull();
    const score = (s: string) => [...s].reduce((acc, c, i) => acc + lm!.logProb(' ' + s.slice(0, i), c), 0);
    expect(score('ROOM')).toBeGreaterThan(score('R00M') + 5);
    expect(score('2041')).toBeGreaterThan(score('2O41') + 5);
  });

  it('counts n-grams of the texts it is given and learns from them', () => {
    const counts = countNgrams(['XQZ XQZ'], 3);
    expect(counts.get('XQ')).toBe(2);
    expect(counts.get(' X')).toBe(2);
    const base = new CharLm(3, countNgrams(['ABC DEF'], 3));
    const learned = base.merged(countNgrams(['XQZ'], 3), 5);
    expect(learned.logProb(' XQ', 'Z')).toBeGreaterThan(base.logProb(' XQ', 'Z'));
  });
});

describe('search over the lattice', () => {
  it('reads look-alikes by their context: ROOM and 2041, not R00M and 2O41', () => {
    // The classifier leans the wrong way on every ring and bar.
    expect(read([{ R: 0.9 }, ring, ring, { M: 0.9 }, ' ', { '4': 0.9 }, { '8': 0.9 }])).toBe('ROOM 48');
    expect(read([{ '2': 0.9 }, { O: 0.6, '0': 0.4 }, { '4': 0.9 }, bar])).toBe('2041');
    expect(read([{ I: 0.45, '1': 0.55 }, { N: 0.9 }, { V: 0.9 }, ring, bar, { C: 0.9 }, { E: 0.9 }])).toBe('INVOICE');
  });

  it('reads each glyph alone with the language switched off', () => {
    expect(read([{ R: 0.9 }, ring, ring, { M: 0.9 }], readingProfile.parse({ language: false }))).toBe('R00M');
  });

  it('keeps to the charset: a ring is a 0 under digits, an O under letters', () => {
    expect(read([{ O: 0.9, '0': 0.05 }, { S: 0.8, '5': 0.1 }], 'digits')).toBe('05');
    expect(read([{ '0': 0.9, O: 0.05 }, { '5': 0.8, S: 0.1 }], 'letters')).toBe('OS');
    expect(read([{ A: 0.9, '4': 0.05 }], readingProfile.parse({ charset: '0-9' }))).toBe('4');
  });

  it('prefers a reading that fits a pattern', () => {
    const plate = readingProfile.parse({ language: false, patterns: ['\\A\\A\\A\\d\\d\\d\\d'] });
    const beliefs: Record<string, number>[] = [{ A: 0.9 }, { B: 0.55, '8': 0.45 }, { C: 0.9 }, { '1': 0.9 }, { '2': 0.9 }, { Z: 0.55, '2': 0.45 }, { '4': 0.9 }];
    expect(read(beliefs, readingProfile.parse({ language: false }))).toBe('ABC12Z4');
    expect(read(beliefs, plate)).toBe('ABC1224');
    const withB: Record<string, number>[] = [{ A: 0.9 }, { '8': 0.55, B: 0.45 }, { C: 0.9 }, { '1': 0.9 }, { '2': 0.9 }, { '2': 0.9 }, { '4': 0.9 }];
    expect(read(withB, plate)).toBe('ABC1224');
  });

  it('prefers a word from the word list, without forcing it', () => {
    const profile = readingProfile.parse({ language: false, words: ['KOLO'] });
    expect(read([{ K: 0.9 }, ring, { L: 0.9 }, ring], profile)).toBe('KOLO');
    // A word far from the list is read as it is.
    expect(read([{ X: 0.95 }, { Y: 0.95 }, { Z: 0.95 }], profile)).toBe('XYZ');
  });
});

describe('profiles', () => {
  it('parses charsets with ranges and refuses reversed ones', () => {
    expect([...parseCharset('0-3XY')].join('')).toBe('0123XY');
    expect(parseCharset('A-Z').size).toBe(26);
    expect(() => parseCharset('9-0')).toThrow(/runs backwards/);
    try {
      allowedClasses(readingProfile.parse({ charset: 'abc' }), '0123');
      expect.unreachable();
    } catch (e) {
      expect(isGlyphError(e) && e.type === 'bad_input').toBe(true);
    }
  });

  it('compiles patterns and refuses unknown escapes', () => {
    const p = new PatternSet(['\\d\\d\\A', 'X\\c']);
    expect(p.matches('12B')).toBe(true);
    expect(p.matches('XZ')).toBe(true);
    expect(p.matches('1B2')).toBe(false);
    expect(() => compilePattern('\\q')).toThrow(/unknown escape/);
  });

  it('has the built-in profiles the CLI names', () => {
    expect(Object.keys(BUILTIN)).toEqual(['text', 'digits', 'letters', 'plate', 'grid']);
    expect(BUILTIN.plate.mainLine).toBe(true);
    expect(BUILTIN.grid.grid).toBe(true);
    expect(() => resolveProfile('nope')).toThrow(/unknown reading profile/);
  });
});
