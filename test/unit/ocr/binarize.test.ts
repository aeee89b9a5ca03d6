import { describe, expect, it } from 'vitest';
import { backgroundUnevenness, binarize, binarizeOtsu, binarizeSauvola, otsuThreshold } from '../../../main/core/ocr/binarize';
import type { Gray } from '../../../main/core/ocr/types';

/** A page with dark squares ("ink", level ink) on paper whose brightness runs from `left` to `right`. */
function page(left: number, right: number, ink: (paper: number) => number): { gray: Gray; truth: Uint8Array } {
  const w = 200;
  const h = 100;
  const data = new Uint8Array(w * h);
  const truth = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const paper = left + ((right - left) * x) / (w - 1);
      const isInk = x % 40 >= 10 && x % 40 < 18 && y >= 30 && y < 70;
      truth[y * w + x] = isInk ? 1 : 0;
      data[y * w + x] = Math.round(isInk ? ink(paper) : paper);
    }
  }
  return { gray: { data, width: w, height: h }, truth };
}

function errorRate(mask: Uint8Array, truth: Uint8Array): number {
  let e = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== truth[i]) e++;
  return e / mask.length;
}

describe('binarize', () => {
  it('Otsu separates two grey levels between them', () => {
    const { gray, truth } = page(220, 220, () => 40);
    const t = otsuThreshold(gray);
    expect(t).toBeGreaterThanOrEqual(40);
    expect(t).toBeLessThan(220);
    expect(errorRate(binarizeOtsu(gray).data, truth)).toBe(0);
  });

  it('Sauvola copes with uneven light where a global threshold fails', () => {
    // Paper from 60 (shadow) to 250; ink is 45% of the local paper: in the shadow the paper is darker than the ink elsewhere.
    const { gray, truth } = page(60, 250, (p) => p * 0.45);
    expect(errorRate(binarizeOtsu(gray).data, truth)).toBeGreaterThan(0.05);
    expect(errorRate(binarizeSauvola(gray, { window: 31 }).data, truth)).toBeLessThan(0.01);
  });

  it('auto picks Otsu on even light and Sauvola on uneven light; a setting overrides', () => {
    const even = page(230, 230, () => 30).gray;
    const uneven = page(60, 250, (p) => p * 0.45).gray;
    expect(backgroundUnevenness(even)).toBeLessThan(10);
    expect(backgroundUnevenness(uneven)).toBeGreaterThan(100);
    expect(binarize(even).method).toBe('otsu');
    expect(binarize(uneven).method).toBe('sauvola');
    expect(binarize(uneven, 'otsu').method).toBe('otsu');
  });

  it('light ink on a dark background comes out as ink', () => {
    const { gray, truth } = page(30, 30, () => 230);
    expect(errorRate(binarize(gray).mask.data, truth)).toBe(0);
  });
});
