import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { recognize } from '../../../main/core/ocr/recognize';
import { kindPrior } from '../../../main/core/ocr/reader/read-grid';
import { turnTile } from '../../../main/core/ocr/reader/grid-orientation';
import { templateClassifier } from './fixtures';
import { ROWS, sudokuSvg } from './grid-fixture';

async function readDrawn(turn: number, skew: number): Promise<string[]> {
  const flat = await sharp(Buffer.from(sudokuSvg(ROWS))).flatten({ background: '#fff' }).png().toBuffer();
  // Skewed and squeezed (a phone's perspective), then turned as a photo taken sideways would be.
  const png = await sharp(await sharp(flat).rotate(skew, { background: '#fff' }).affine([1, 0.04, 0, 0.96], { background: '#fff' }).png().toBuffer())
    .rotate(turn, { background: '#fff' })
    .png()
    .toBuffer();
  const [page] = await loadPages(png, 'grid.png');
  const cls = await templateClassifier('DejaVu Sans Mono', 28, '123456789');
  const r = await recognize(page!, cls, { profile: 'grid' });
  return r.text.split('\n');
}

describe('grid cells', () => {
  it('reads a skewed drawn grid with line remnants, ticks and a shaded cell: remnants are not characters', async () => {
    expect(await readDrawn(0, -3)).toEqual(ROWS.map((row) => row.replace(/0/g, '.')));
  });

  it('reads a grid photographed on its side or upside down in its upright order', async () => {
    const want = ROWS.map((row) => row.replace(/0/g, '.'));
    expect(await readDrawn(90, 2)).toEqual(want);
    expect(await readDrawn(180, 2)).toEqual(want);
  });

  it('turns a tile a quarter counter-clockwise, four turns give it back', () => {
    const t = Uint8Array.from({ length: 9 }, (_, i) => i);
    // 0 1 2 / 3 4 5 / 6 7 8 turned counter-clockwise: 2 5 8 / 1 4 7 / 0 3 6.
    expect([...turnTile(t, 3, 1)]).toEqual([2, 5, 8, 1, 4, 7, 0, 3, 6]);
    expect([...turnTile(t, 3, 4)]).toEqual([...t]);
  });
});

describe('kindPrior', () => {
  const classes = '0123J';
  const allowed = [true, true, true, true, true];
  const cells = (rows: number[][]) => Float32Array.from(rows.flat());

  it('reads a grid of clear digits with a few letter-like ones as digits only', () => {
    // Clear 1s and 2s, and two blurred 3s the model thinks a little more likely to be J.
    const probs = cells([[0, 0.9, 0.05, 0.05, 0], [0, 0.05, 0.9, 0.05, 0], [0, 0.9, 0.05, 0.05, 0], [0, 0, 0.05, 0.35, 0.6], [0, 0, 0.1, 0.4, 0.5]]);
    const { weights: w, kind } = kindPrior(probs, 5, classes, allowed);
    expect(kind).toBe('digits');
    expect(w.slice(0, 4).every((x) => x === 1)).toBe(true);
    expect(w[4]).toBeLessThan(1e-6);
  });

  it('keeps both kinds in a grid that clearly holds both', () => {
    const probs = cells([[0, 0.95, 0.05, 0, 0], [0, 0, 0.05, 0, 0.95], [0, 0, 0.95, 0.05, 0], [0, 0, 0, 0.05, 0.95]]);
    const { weights: w, kind } = kindPrior(probs, 4, classes, allowed);
    expect(kind).toBe('mixed');
    expect(w[4]).toBeGreaterThan(0.1);
    expect(w[1]).toBeGreaterThan(0.1);
  });
});
