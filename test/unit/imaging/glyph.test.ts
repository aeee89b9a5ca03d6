import { describe, expect, it } from 'vitest';
import {
  detectPolarity,
  inkBBox,
  invert,
  normalizeGlyph,
  resizeArea,
  toCanonical,
  transpose,
} from '../../../main/core/imaging/glyph';

/** A w×h image with background `bg` and a filled rectangle of `ink`. */
function rect(w: number, h: number, bg: number, ink: number, r: { x0: number; y0: number; x1: number; y1: number }): Uint8Array {
  const px = new Uint8Array(w * h).fill(bg);
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) px[y * w + x] = ink;
  return px;
}

function centroid(px: Uint8Array, size: number): { x: number; y: number } {
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = px[y * size + x]!;
      m += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  return { x: mx / m, y: my / m };
}

describe('detectPolarity', () => {
  it('reads a dark border as white-on-black and a light one as black-on-white', () => {
    const white = rect(20, 30, 0, 255, { x0: 5, y0: 5, x1: 15, y1: 25 });
    expect(detectPolarity(white, 20, 30)).toBe('white-on-black');
    expect(detectPolarity(invert(white), 20, 30)).toBe('black-on-white');
  });

  it('is robust to ink that touches part of the border (median)', () => {
    // Black ink on paper, with a bar crossing the whole top and left edges.
    const px = rect(16, 16, 230, 10, { x0: 0, y0: 0, x1: 16, y1: 3 });
    for (let y = 0; y < 8; y++) px[y * 16] = 10; // 25 of the 60 border pixels are ink
    expect(detectPolarity(px, 16, 16)).toBe('black-on-white');
  });

  it('rejects a buffer that does not match the size', () => {
    expect(() => detectPolarity(new Uint8Array(10), 4, 4)).toThrow(/expected 4x4/);
  });
});

describe('toCanonical', () => {
  it('inverts black-on-white and copies white-on-black, never touching the input', () => {
    const dark = rect(8, 8, 250, 3, { x0: 2, y0: 2, x1: 6, y1: 6 });
    const before = dark.slice();
    const c = toCanonical(dark, 8, 8);
    expect(c[0]).toBe(5);
    expect(c[3 * 8 + 3]).toBe(252);
    expect(dark).toEqual(before);
    const already = rect(8, 8, 0, 200, { x0: 2, y0: 2, x1: 6, y1: 6 });
    const same = toCanonical(already, 8, 8);
    expect(same).toEqual(already);
    expect(same).not.toBe(already);
  });

  it('honours an explicit polarity', () => {
    const px = rect(4, 4, 0, 255, { x0: 1, y0: 1, x1: 3, y1: 3 });
    expect(toCanonical(px, 4, 4, 'black-on-white')[0]).toBe(255);
  });
});

describe('resizeArea', () => {
  it('averages exact 2x2 blocks when halving', () => {
    const src = Uint8Array.from([0, 255, 100, 100, 255, 0, 100, 100]);
    const out = resizeArea(src, 4, 2, 2, 1);
    expect(Array.from(out)).toEqual([127.5, 100]);
  });

  it('keeps the mean intensity for non-integer ratios', () => {
    const w = 37;
    const h = 23;
    const src = new Uint8Array(w * h);
    for (let i = 0; i < src.length; i++) src[i] = (i * 97) % 256;
    const out = resizeArea(src, w, h, 10, 7);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 3);
  });
});

describe('normalizeGlyph', () => {
  it('fills 20/28 of the tile with the longer side, keeps the aspect ratio and centres by bounding box', () => {
    // A tall bar 40x100 at an off-centre place in a 300x200 image.
    const px = rect(300, 200, 0, 255, { x0: 10, y0: 90, x1: 50, y1: 190 });
    const tile = normalizeGlyph(px, 300, 200, 28);
    const box = inkBBox(tile, 28, 28, 127)!;
    expect(box.y1 - box.y0).toBe(20);
    expect(box.x1 - box.x0).toBe(8); // 40/100 * 20
    expect(box.y0).toBe(4);
    expect(box.x0).toBe(10);
    expect(tile[14 * 28 + 14]).toBe(255);
  });

  it('crops wide glyphs too and leaves the margin black', () => {
    const px = rect(120, 40, 0, 200, { x0: 0, y0: 10, x1: 120, y1: 30 });
    const tile = normalizeGlyph(px, 120, 40, 28);
    const box = inkBBox(tile, 28, 28, 100)!;
    expect(box.x1 - box.x0).toBe(20);
    expect(box.y1 - box.y0).toBe(Math.round(20 * (20 / 120)));
    for (let x = 0; x < 28; x++) expect(tile[x]).toBe(0);
    // Levels stretched: the 200 ink becomes 255.
    expect(Math.max(...tile)).toBe(255);
  });

  it('enlarges small glyphs and centres an L-shape by its centre of mass when asked', () => {
    const px = new Uint8Array(14 * 14);
    for (let y = 2; y < 12; y++) px[y * 14 + 2] = 255; // vertical stroke
    for (let x = 2; x < 12; x++) px[11 * 14 + x] = 255; // bottom stroke
    const bbox = normalizeGlyph(px, 14, 14, 28, { center: 'bbox' });
    const mass = normalizeGlyph(px, 14, 14, 28, { center: 'mass' });
    const cb = centroid(bbox, 28);
    const cm = centroid(mass, 28);
    expect(Math.abs(cm.x - 14)).toBeLessThan(Math.abs(cb.x - 14));
    expect(Math.abs(cm.x - 14)).toBeLessThanOrEqual(0.75);
    expect(Math.abs(cm.y - 14)).toBeLessThanOrEqual(0.75);
  });

  it('gives an all-black tile for an image without ink, and handles a noisy grey background', () => {
    expect(normalizeGlyph(new Uint8Array(50 * 50), 50, 50, 28).every((v) => v === 0)).toBe(true);
    const px = rect(60, 60, 40, 220, { x0: 20, y0: 10, x1: 40, y1: 50 });
    const tile = normalizeGlyph(px, 60, 60, 28);
    expect(tile[0]).toBe(0);
    expect(tile[14 * 28 + 14]).toBe(255);
  });

  it('works for other tile sizes', () => {
    const px = rect(64, 64, 0, 255, { x0: 8, y0: 8, x1: 56, y1: 56 });
    const tile = normalizeGlyph(px, 64, 64, 56);
    const box = inkBBox(tile, 56, 56, 127)!;
    expect(box.x1 - box.x0).toBe(40);
  });
});

describe('transpose', () => {
  it('swaps rows and columns', () => {
    const px = Uint8Array.from([1, 2, 3, 4, 5, 6]); // 3 wide, 2 high
    expect(Array.from(transpose(px, 3, 2))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(transpose(transpose(px, 3, 2), 2, 3)).toEqual(px);
  });
});
