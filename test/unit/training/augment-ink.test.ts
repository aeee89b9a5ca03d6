import { describe, expect, it } from 'vitest';
import { blur, crop, elastic, fade, fillFrame } from '../../../main/core/training/augment-ink';
import { Rng } from '../../../main/core/training/rng';

const SIZE = 28;

/** A hollow square (an O-like ring) of side 10 in the middle of the tile: ink 1 on 0. */
function ring(): Float32Array {
  const img = new Float32Array(SIZE * SIZE);
  for (let y = 9; y < 19; y++) for (let x = 9; x < 19; x++) if (y < 11 || y > 16 || x < 11 || x > 16) img[y * SIZE + x] = 1;
  return img;
}

function inkBox(img: Float32Array): [number, number, number, number] {
  let [x0, y0, x1, y1] = [SIZE, SIZE, -1, -1];
  img.forEach((v, i) => {
    if (v <= 0.2) return;
    const x = i % SIZE;
    const y = Math.floor(i / SIZE);
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  });
  return [x0, y0, x1, y1];
}

const total = (img: Float32Array) => img.reduce((a, v) => a + v, 0);

describe('augmentations of hands and paper', () => {
  it('fill zooms the glyph until its larger side nears the frame, centred', () => {
    const out = fillFrame(ring(), SIZE, 3);
    const [x0, y0, x1, y1] = inkBox(out);
    expect(x1 - x0 + 1).toBeGreaterThanOrEqual(25);
    expect(Math.abs((x0 + x1) / 2 - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs((y0 + y1) / 2 - 13.5)).toBeLessThanOrEqual(1);
    // Capped zoom: 1.2x of a 10-pixel glyph is 12 pixels.
    const [a0, , a1] = inkBox(fillFrame(ring(), SIZE, 1.2));
    expect(a1 - a0 + 1).toBeLessThanOrEqual(13);
    expect(a1 - a0 + 1).toBeGreaterThanOrEqual(11);
  });

  it('elastic moves strokes by at most about the amount, smoothly, and keeps the ink', () => {
    const src = ring();
    const out = elastic(src, SIZE, 2, new Rng(4));
    expect(out).not.toEqual(src);
    const [x0, y0, x1, y1] = inkBox(out);
    for (const [a, b] of [[x0, 9], [y0, 9], [x1, 18], [y1, 18]]) expect(Math.abs(a! - b!)).toBeLessThanOrEqual(3);
    expect(total(out) / total(src)).toBeGreaterThan(0.8);
    expect(total(out) / total(src)).toBeLessThan(1.2);
    expect(elastic(src, SIZE, 2, new Rng(4))).toEqual(out);
  });

  it('blur spreads ink to the neighbours and keeps its sum inside the frame', () => {
    const dot = new Float32Array(SIZE * SIZE);
    dot[14 * SIZE + 14] = 1;
    const out = blur(dot, SIZE, 1);
    expect(out[14 * SIZE + 14]!).toBeLessThan(0.2);
    expect(out[14 * SIZE + 15]!).toBeGreaterThan(0.05);
    expect(out[14 * SIZE + 15]).toBeCloseTo(out[15 * SIZE + 14]!, 6);
    expect(total(out)).toBeCloseTo(1, 5);
  });

  it('fade dims the ink evenly, or from nothing on one side to all of it on the other', () => {
    const src = ring();
    const even = fade(src, SIZE, 0.5, null);
    expect(Math.max(...even)).toBeCloseTo(0.5, 6);
    const leftToRight = fade(src, SIZE, 0.8, 0); // stronger towards +x
    expect(leftToRight[9 * SIZE + 9]!).toBeGreaterThan(leftToRight[9 * SIZE + 18]!);
    expect(leftToRight[9 * SIZE + 18]!).toBeLessThan(0.5);
  });

  it('crop cuts the share of the ink on the chosen side only', () => {
    const src = ring();
    const top = crop(src, SIZE, 0, 0.25);
    expect(inkBox(top)[1]).toBeGreaterThanOrEqual(11);
    expect(inkBox(top)[3]).toBe(18);
    const right = crop(src, SIZE, 1, 0.25);
    expect(inkBox(right)[2]).toBeLessThanOrEqual(16);
    expect(inkBox(right)[0]).toBe(9);
  });
});
