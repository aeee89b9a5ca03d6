import type { Mask } from './types';

const MAX_POINTS = 60_000;

/**
 * Skew of the text in degrees, positive when lines rise to the right, by projection-profile search:
 * the angle at which the ink's horizontal projection is sharpest (sum of squared row counts), first
 * on a coarse grid then refined to 0.05°. Returns 0 when there is too little ink to tell.
 */
export function estimateSkew(mask: Mask, maxDegrees = 15): number {
  const { width: w, height: h, data } = mask;
  let count = 0;
  for (let i = 0; i < data.length; i++) count += data[i]!;
  if (count < 50) return 0;
  // Sample ink points evenly (stride over the ink, deterministic).
  const stride = Math.max(1, Math.ceil(count / MAX_POINTS));
  const xs: number[] = [];
  const ys: number[] = [];
  let k = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[y * w + x] && k++ % stride === 0) {
        xs.push(x - w / 2);
        ys.push(y - h / 2);
      }
    }
  }
  const diag = Math.ceil(Math.hypot(w, h)) + 2;
  const bins = new Float64Array(2 * diag + 1);
  const score = (deg: number): number => {
    const a = (deg * Math.PI) / 180;
    const s = Math.sin(a);
    const c = Math.cos(a);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) {
      // Linear split between the two nearest rows keeps the score smooth in the angle.
      const p = xs[i]! * s + ys[i]! * c + diag;
      const lo = Math.floor(p);
      const f = p - lo;
      bins[lo] = bins[lo]! + 1 - f;
      bins[lo + 1] = bins[lo + 1]! + f;
    }
    let acc = 0;
    for (let i = 0; i < bins.length; i++) acc += bins[i]! * bins[i]!;
    return acc;
  };
  const search = (from: number, to: number, step: number): number => {
    let best = 0;
    let bestScore = -1;
    for (let d = from; d <= to + 1e-9; d += step) {
      const sc = score(d);
      if (sc > bestScore) {
        bestScore = sc;
        best = d;
      }
    }
    return best;
  };
  const coarse = search(-maxDegrees, maxDegrees, 0.5);
  const mid = search(coarse - 0.5, coarse + 0.5, 0.1);
  const fine = search(mid - 0.1, mid + 0.1, 0.02);
  return Math.round(fine * 100) / 100;
}

/**
 * Rotates a mask about its centre by `-degrees` (undoing a skew of `degrees`), same size, nearest
 * neighbour; what comes from outside is background.
 */
export function deskewMask(mask: Mask, degrees: number): Mask {
  const { width: w, height: h, data } = mask;
  const a = (degrees * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // Source of an output pixel: rotate it back by +degrees (counter-clockwise on screen).
      const sx = Math.round(cx + dx * c + dy * s);
      const sy = Math.round(cy - dx * s + dy * c);
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) out[y * w + x] = data[sy * w + sx]!;
    }
  }
  return { data: out, width: w, height: h };
}
