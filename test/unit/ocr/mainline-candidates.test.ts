import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPages } from '../../../main/core/ocr/load-pages';
import type { Band } from '../../../main/core/ocr/mainline-band';
import { pictureChars, readingScore, tallEnough } from '../../../main/core/ocr/mainline-pick';
import { recognize } from '../../../main/core/ocr/recognize';
import type { Page } from '../../../main/core/ocr/types';
import { templateClassifier } from './fixtures';

const PLATE = 'KX7302';
const SIZE = 84;
const BASE = 150;

/**
 * A plate whose characters stand on a picture: hills just below their feet (a page's lines take a
 * hill and the characters above it as one glyph), a tree taller than the characters
 * between the two halves of the number, and the state's name above.
 */
function plateOnPicture(): string {
  const xs = [40, 96, 152, 290, 346, 402];
  const chars = [...PLATE].map((c, i) => `<text x="${xs[i]}" y="${BASE}">${c}</text>`).join('');
  // Hills just below the characters' feet, each under one or two of them.
  const hill = (a: number, b: number) => `<path d="M${a} 178 Q${(a + b) / 2} 140 ${b} 178 Z"/>`;
  const small = hill(36, 146) + hill(148, 202) + hill(286, 396) + hill(398, 444);
  const tree = `<path d="M250 40 L275 90 L262 90 L285 140 L268 140 L292 196 L208 196 L232 140 L215 140 L238 90 L225 90 Z"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="230">
    <rect width="100%" height="100%" fill="white"/>
    <g fill="black">${small}${tree}</g>
    <text x="170" y="38" font-family="DejaVu Sans" font-size="24" fill="black">NOWHERE</text>
    <g font-family="DejaVu Sans Mono" font-size="${SIZE}" fill="black">${chars}</g>
  </svg>`;
}

async function pageOf(svg: string): Promise<Page> {
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return (await loadPages(png, 'plate.png'))[0]!;
}

describe('main line: bands proposed by the characters themselves', () => {
  let cls: Awaited<ReturnType<typeof templateClassifier>>;
  beforeAll(async () => {
    cls = await templateClassifier();
  });

  it('reads the number of characters standing on a picture, beside a tree taller than they are, without the picture', async () => {
    const r = await recognize(await pageOf(plateOnPicture()), cls, { profile: 'plate' });
    expect(r.lines).toHaveLength(1);
    expect(r.text.replace(/\s/g, '')).toBe(PLATE);
    // Each character's box is its own: as tall as a capital of the font, without the tree below it.
    for (const c of r.lines[0]!.chars) expect(c.box[3]).toBeLessThan(0.85 * SIZE);
  });
});

describe('readingScore', () => {
  const band: Band = { topA: 40, topB: 0, botA: 100, botB: 0, height: 60 };
  const small: Band = { topA: 120, topB: 0, botA: 135, botB: 0, height: 15 };
  const on = (b: Band, i: number, confidence: number) => ({ confidence, box: [10 + 40 * i, b.topA, 30, b.height] as [number, number, number, number] });

  it('prefers characters read surely and standing on both edges of the band', () => {
    const sure = [0, 1, 2, 3, 4, 5].map((i) => on(band, i, 0.99));
    const unsure = [0, 1, 2, 3, 4, 5].map((i) => on(band, i, 0.3));
    const floating = sure.map((c) => ({ ...c, box: [c.box[0], 55, 30, 30] as [number, number, number, number] }));
    expect(readingScore(sure, band)).toBeGreaterThan(readingScore(unsure, band));
    expect(readingScore(sure, band)).toBeGreaterThan(readingScore(floating, band));
  });

  it('a long line of small print read surely loses to the tall number', () => {
    const number = [0, 1, 2, 3, 4, 5].map((i) => on(band, i, 0.9));
    const print = Array.from({ length: 16 }, (_, i) => on(small, i, 0.99));
    expect(readingScore(number, band)).toBeGreaterThan(readingScore(print, small));
  });
});

describe('pictureChars', () => {
  const at = (x: number, w: number, confidence: number) => ({ confidence, box: [x, 10, w, 60] as [number, number, number, number] });
  const number = [100, 140, 180, 220, 260].map((x) => at(x, 32, 0.99));

  it('drops an unsure glyph set apart from the number or much wider than its characters, at either end', () => {
    expect(pictureChars([at(20, 30, 0.2), ...number])).toEqual([0]); // a gap of 50 where the line's are 8
    expect(pictureChars([...number, at(300, 70, 0.25)])).toEqual([5]); // twice as wide
  });

  it('keeps a sure one, an unsure one in line with the others, and a narrow unsure 1 beside them', () => {
    expect(pictureChars([at(20, 30, 0.9), ...number])).toEqual([]);
    expect(pictureChars([at(60, 32, 0.3), ...number])).toEqual([]);
    expect(pictureChars([at(80, 12, 0.3), ...number])).toEqual([]);
  });

  it('inside the number: drops a glyph read without certainty that is set apart on both sides or much wider', () => {
    const left = [20, 60, 100].map((x) => at(x, 32, 0.99));
    const right = [230, 270, 310].map((x) => at(x, 32, 0.99));
    expect(pictureChars([...left, at(165, 24, 0.7), ...right])).toEqual([3]); // gaps of 33 and 41
    expect(pictureChars([...left, at(140, 60, 0.6), ...right.map((c) => ({ ...c, box: [c.box[0] - 30, 10, 32, 60] as [number, number, number, number] }))])).toEqual([3]);
    // Sure of it, or in line with its neighbours: a character.
    expect(pictureChars([...left, at(165, 24, 0.95), ...right])).toEqual([]);
    expect(pictureChars([...left, at(140, 32, 0.6), ...right.map((c) => ({ ...c, box: [c.box[0] - 50, 10, 32, 60] as [number, number, number, number] }))])).toEqual([]);
  });
});

describe('tallEnough', () => {
  const cand = (height: number, standing: number) => ({ band: { topA: 0, topB: 0, botA: height, botB: 0, height }, score: Math.min(standing, 5) * height });

  it('leaves out print far smaller than the tallest band of three or more standing characters', () => {
    expect(tallEnough([cand(70, 5), cand(14, 5), cand(40, 2)])).toEqual([true, false, true]);
    // A tall band of two characters (a picture) does not count as the tallest.
    expect(tallEnough([cand(120, 2), cand(40, 5), cand(20, 4)])).toEqual([true, true, true]);
  });
});
