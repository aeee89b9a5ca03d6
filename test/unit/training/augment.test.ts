import { describe, expect, it } from 'vitest';
import { augmentImage, morph } from '../../../main/core/training/augment';
import { Rng } from '../../../main/core/training/rng';
import { augmentSchema } from '../../../main/common/contract/training';

/** The 3x3 max/min by definition (window clipped at the borders). */
function naiveMorph(src: Float32Array, size: number, op: 'dilate' | 'erode'): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = op === 'dilate' ? -Infinity : Infinity;
      for (let yy = y - 1; yy <= y + 1; yy++) {
        for (let xx = x - 1; xx <= x + 1; xx++) {
          if (yy < 0 || xx < 0 || yy >= size || xx >= size) continue;
          v = op === 'dilate' ? Math.max(v, src[yy * size + xx]!) : Math.min(v, src[yy * size + xx]!);
        }
      }
      out[y * size + x] = v;
    }
  }
  return out;
}

function randomImage(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size * size }, () => rng.next());
}

describe('augmentation', () => {
  for (const size of [1, 2, 7, 28]) {
    it(`dilation and erosion equal the 3x3 max/min by definition (${size}x${size})`, () => {
      const img = randomImage(size, size);
      expect(morph(img, size, 'dilate')).toEqual(naiveMorph(img, size, 'dilate'));
      // A bright image: erosion keeps most of its ink, so the result is the plain 3x3 min.
      const bright = img.map((v) => 0.6 + 0.4 * v);
      expect(morph(bright, size, 'erode')).toEqual(naiveMorph(bright, size, 'erode'));
    });
  }

  it('erosion keeps the image when it would erase the strokes', () => {
    const size = 9;
    const line = new Float32Array(size * size);
    for (let y = 0; y < size; y++) line[y * size + 4] = 1; // a one-pixel vertical stroke
    const out = morph(line, size, 'erode');
    expect(out).toEqual(line);
    expect(out).not.toBe(line);
  });

  it('adds Gaussian noise of the given spread, clamped, reproducibly from the state', () => {
    const n = 200_001; // odd: the last value comes from a pair's first half
    const a = new Float32Array(n).fill(0.5);
    const rng = new Rng(7);
    const start = rng.state;
    rng.addNormals(a, 0.1, 0, 1);
    let mean = 0;
    for (const v of a) mean += v;
    mean /= n;
    let varSum = 0;
    for (const v of a) varSum += (v - mean) ** 2;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(Math.sqrt(varSum / n)).toBeCloseTo(0.1, 2);
    // About 68% within one standard deviation.
    const within = a.filter((v) => Math.abs(v - 0.5) < 0.1).length / n;
    expect(within).toBeGreaterThan(0.67);
    expect(within).toBeLessThan(0.7);
    const b = new Float32Array(n).fill(0.5);
    const again = new Rng(0);
    again.state = start;
    again.addNormals(b, 0.1, 0, 1);
    expect(b).toEqual(a);
    const wide = new Float32Array(1000).fill(0.5);
    new Rng(3).addNormals(wide, 5, 0, 1);
    expect(Math.min(...wide)).toBe(0);
    expect(Math.max(...wide)).toBe(1);
  });

  it('is reproducible from the seed, stays in 0..1, and returns a new array (also when off)', () => {
    const size = 28;
    const img = randomImage(size, 5);
    const cfg = augmentSchema.parse({ rotation: 10, shift: 0.08, scale: 0.1, thickness: 1, noise: 0.05, shear: 0.2, fill: 0.5, elastic: 0.1, blur: 0.5, fade: 0.5, crop: 0.3 });
    const a = augmentImage(img, size, cfg, new Rng(11));
    const b = augmentImage(img, size, cfg, new Rng(11));
    const c = augmentImage(img, size, cfg, new Rng(12));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    const off = augmentImage(img, size, { ...cfg, enabled: false }, new Rng(1));
    expect(off).toEqual(img);
    expect(off).not.toBe(img);
  });

  it('shear slants a vertical bar: its top and bottom ends move opposite ways, the middle stays', () => {
    const size = 28;
    const bar = new Float32Array(size * size);
    for (let y = 4; y < 24; y++) bar[y * size + 14] = 1;
    const plain = augmentSchema.parse({ rotation: 0, shift: 0, scale: 0, thickness: 0, noise: 0, shear: 0 });
    expect(augmentImage(bar, size, plain, new Rng(3))).toEqual(bar);
    const rng = new Rng(3);
    const out = augmentImage(bar, size, { ...plain, shear: 0.5 }, rng);
    const centre = (y: number) => {
      let s = 0;
      let m = 0;
      for (let x = 0; x < size; x++) {
        s += x * out[y * size + x]!;
        m += out[y * size + x]!;
      }
      return s / m;
    };
    const top = centre(5) - 14;
    const bottom = centre(22) - 14;
    expect(Math.abs(top)).toBeGreaterThan(1.5);
    expect(Math.sign(top)).toBe(-Math.sign(bottom));
    expect(Math.abs(centre(13.5 | 0) - 14)).toBeLessThan(1);
  });
});
