import type { AugmentConfig } from '../../common/contract/training';
import type { Rng } from './rng';

/**
 * The augmentations of how other people write and how paper shows it (the default-model issue): glyphs that
 * fill their box, elastic wobble of the strokes, blur, grey and faded ink, parts cut off. Each works on a
 * size×size image (floats 0..1, white ink on black) and returns a new array. Each is off at 0.
 */
export function inkAugment(src: Float32Array, size: number, cfg: AugmentConfig, rng: Rng): Float32Array {
  let out = src;
  if (cfg.fill > 0 && rng.next() < cfg.fill) out = fillFrame(out, size, 1 + 0.6 * rng.next());
  if (cfg.elastic > 0) out = elastic(out, size, cfg.elastic * size * rng.next(), rng);
  if (cfg.blur > 0 && rng.next() < cfg.blur) out = blur(out, size, 0.5 + 0.7 * rng.next());
  if (cfg.fade > 0) out = fade(out, size, cfg.fade * rng.next(), rng.next() < 0.5 ? rng.next() * 2 * Math.PI : null);
  if (cfg.crop > 0 && rng.next() < cfg.crop) out = crop(out, size, Math.floor(rng.next() * 4), 0.1 + 0.15 * rng.next());
  return out === src ? src.slice() : out;
}

/** The ink's bounding box (pixels above 0.2), or null when there is none. */
function inkBox(src: Float32Array, size: number): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = size;
  let y0 = size;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (src[y * size + x]! <= 0.2) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** Bilinear sample of `src` at (sx, sy), black outside. */
function sample(src: Float32Array, size: number, sx: number, sy: number): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const wx = sx - x0;
  const wy = sy - y0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= size || y >= size ? 0 : src[y * size + x]!);
  return (at(x0, y0) * (1 - wx) + at(x0 + 1, y0) * wx) * (1 - wy) + (at(x0, y0 + 1) * (1 - wx) + at(x0 + 1, y0 + 1) * wx) * wy;
}

/**
 * Zooms in on the ink (up to `maxZoom`) so its larger side reaches the frame, as a glyph written to fill its
 * box does (canonical tiles keep a margin around the glyph).
 */
export function fillFrame(src: Float32Array, size: number, maxZoom: number): Float32Array {
  const b = inkBox(src, size);
  if (!b) return src.slice();
  const side = Math.max(b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
  const zoom = Math.min(maxZoom, size / side);
  if (zoom <= 1) return src.slice();
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const c = (size - 1) / 2;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = sample(src, size, cx + (x - c) / zoom, cy + (y - c) / zoom);
  return out;
}

/**
 * Elastic distortion: a smooth random displacement field (random vectors on a 4x4 grid, bilinear between
 * them) of at most `amount` pixels moves each pixel; strokes wobble as a hand's do.
 */
export function elastic(src: Float32Array, size: number, amount: number, rng: Rng): Float32Array {
  if (amount <= 0) return src.slice();
  const g = 4;
  const dx = Float32Array.from({ length: g * g }, () => rng.sym(amount));
  const dy = Float32Array.from({ length: g * g }, () => rng.sym(amount));
  const out = new Float32Array(size * size);
  const step = (size - 1) / (g - 1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      out[y * size + x] = sample(src, size, x + sample(dx, g, x / step, y / step), y + sample(dy, g, x / step, y / step));
    }
  }
  return out;
}

/** Gaussian blur of standard deviation `sigma` pixels (separable, radius 2). */
export function blur(src: Float32Array, size: number, sigma: number): Float32Array {
  const k = [-2, -1, 0, 1, 2].map((d) => Math.exp(-(d * d) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const w = k.map((v) => v / sum);
  const pass = (inp: Float32Array, horizontal: boolean) => {
    const o = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let v = 0;
        for (let d = -2; d <= 2; d++) {
          const xx = horizontal ? x + d : x;
          const yy = horizontal ? y : y + d;
          if (xx >= 0 && yy >= 0 && xx < size && yy < size) v += w[d + 2]! * inp[yy * size + xx]!;
        }
        o[y * size + x] = v;
      }
    }
    return o;
  };
  return pass(pass(src, true), false);
}

/**
 * Grey and faded ink: the ink's brightness falls by `amount` (0..1) — evenly, or along direction `angle`
 * (radians) from nothing on one side to all of it on the other, as a pen running dry does.
 */
export function fade(src: Float32Array, size: number, amount: number, angle: number | null): Float32Array {
  const out = new Float32Array(size * size);
  const ux = angle === null ? 0 : Math.cos(angle);
  const uy = angle === null ? 0 : Math.sin(angle);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = angle === null ? 1 : Math.min(1, Math.max(0, 0.5 + ((x - c) * ux + (y - c) * uy) / size));
      out[y * size + x] = src[y * size + x]! * (1 - amount * t);
    }
  }
  return out;
}

/** Cuts off `share` of the ink's extent on one side (0 top, 1 right, 2 bottom, 3 left), as a tight box or a crop does. */
export function crop(src: Float32Array, size: number, side: number, share: number): Float32Array {
  const out = src.slice();
  const b = inkBox(src, size);
  if (!b) return out;
  const h = b.y1 - b.y0 + 1;
  const w = b.x1 - b.x0 + 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cut = side === 0 ? y < b.y0 + share * h : side === 1 ? x > b.x1 - share * w : side === 2 ? y > b.y1 - share * h : x < b.x0 + share * w;
      if (cut) out[y * size + x] = 0;
    }
  }
  return out;
}
