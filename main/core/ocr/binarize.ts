import type { BinarizeMethod, Gray, Mask } from './types';

/** Otsu's threshold over a 256-bin histogram: the level that best separates two classes. */
export function otsuThreshold(gray: Gray): number {
  const hist = new Float64Array(256);
  const d = gray.data;
  for (let i = 0; i < d.length; i++) hist[d[i]!]! += 1;
  const total = d.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t]!;
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let bestT = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

/** Global threshold: ink is what is darker than or equal to Otsu's level. */
export function binarizeOtsu(gray: Gray, threshold?: number): Mask {
  const t = threshold ?? otsuThreshold(gray);
  const out = new Uint8Array(gray.data.length);
  for (let i = 0; i < out.length; i++) out[i] = gray.data[i]! <= t ? 1 : 0;
  return { data: out, width: gray.width, height: gray.height };
}

/**
 * Sauvola's adaptive threshold, T = m·(1 + k·(s/R − 1)) over a window around each pixel, from
 * integral images (O(1) per pixel). Copes with uneven light and shadows of phone photos.
 */
export function binarizeSauvola(gray: Gray, opts: { window?: number; k?: number; r?: number } = {}): Mask {
  const { width: w, height: h, data } = gray;
  const win = opts.window ?? Math.max(15, (Math.round(Math.min(w, h) / 12) | 1));
  const k = opts.k ?? 0.2;
  const R = opts.r ?? 128;
  const half = Math.floor(win / 2);
  const W = w + 1;
  const sum = new Float64Array(W * (h + 1));
  const sq = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x]!;
      rs += v;
      rq += v * v;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1]! + rs;
      sq[(y + 1) * W + x + 1] = sq[y * W + x + 1]! + rq;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(h, y + half + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(w, x + half + 1);
      const n = (y1 - y0) * (x1 - x0);
      const s = sum[y1 * W + x1]! - sum[y0 * W + x1]! - sum[y1 * W + x0]! + sum[y0 * W + x0]!;
      const q = sq[y1 * W + x1]! - sq[y0 * W + x1]! - sq[y1 * W + x0]! + sq[y0 * W + x0]!;
      const m = s / n;
      const sd = Math.sqrt(Math.max(0, q / n - m * m));
      const t = m * (1 + k * (sd / R - 1));
      out[y * w + x] = data[y * w + x]! <= t ? 1 : 0;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * How uneven the paper's light is: the spread of the bright level (90th percentile) across a 4×4
 * grid of tiles, 0..255. A flat scan is near 0; a phone photo with a shadow is tens.
 */
export function backgroundUnevenness(gray: Gray): number {
  const { width: w, height: h, data } = gray;
  const tiles = 4;
  const levels: number[] = [];
  for (let ty = 0; ty < tiles; ty++) {
    for (let tx = 0; tx < tiles; tx++) {
      const hist = new Uint32Array(256);
      let n = 0;
      const ys = Math.floor((ty * h) / tiles);
      const ye = Math.floor(((ty + 1) * h) / tiles);
      const xs = Math.floor((tx * w) / tiles);
      const xe = Math.floor(((tx + 1) * w) / tiles);
      for (let y = ys; y < ye; y += 2) for (let x = xs; x < xe; x += 2) {
        hist[data[y * w + x]!]!++;
        n++;
      }
      if (n === 0) continue;
      let acc = 0;
      for (let v = 0; v < 256; v++) {
        acc += hist[v]!;
        if (acc >= 0.9 * n) {
          levels.push(v);
          break;
        }
      }
    }
  }
  if (levels.length < 2) return 0;
  return Math.max(...levels) - Math.min(...levels);
}

/**
 * Ink mask of a page. `auto` uses Otsu on evenly lit pages and Sauvola where the background's
 * brightness varies (photos, shadows). Light ink on a dark background is detected (ink is the
 * minority) and inverted.
 */
export function binarize(gray: Gray, method: BinarizeMethod = 'auto'): { mask: Mask; method: 'otsu' | 'sauvola' } {
  let chosen: 'otsu' | 'sauvola' = method === 'auto' ? (backgroundUnevenness(gray) > 40 ? 'sauvola' : 'otsu') : method;
  let src = gray;
  const t = otsuThreshold(gray);
  const dark = isDarkBackground(gray, t);
  if (dark) src = invert(gray);
  // Otsu's level of the inverted page is 255 minus (about) the page's own: computed once.
  let mask = chosen === 'otsu' ? binarizeOtsu(src, dark ? undefined : t) : binarizeSauvola(src);
  // Otsu on a page that is nearly all paper can put the threshold in the paper's noise.
  if (method === 'auto' && chosen === 'otsu' && inkFraction(mask) > 0.4) {
    chosen = 'sauvola';
    mask = binarizeSauvola(src);
  }
  return { mask, method: chosen };
}

export function inkFraction(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i]!;
  return n / Math.max(1, mask.data.length);
}

function isDarkBackground(gray: Gray, t = otsuThreshold(gray)): boolean {
  let dark = 0;
  for (let i = 0; i < gray.data.length; i++) if (gray.data[i]! <= t) dark++;
  return dark > 0.6 * gray.data.length;
}

export function invert(gray: Gray): Gray {
  const out = new Uint8Array(gray.data.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - gray.data[i]!;
  return { data: out, width: gray.width, height: gray.height };
}
