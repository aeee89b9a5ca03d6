import type { AugmentConfig } from '../../common/contract/training';
import type { Rng } from './rng';

/**
 * One random augmentation of a size×size image (floats 0..1, white ink on black): rotation, scale
 * and shift as one affine map (bilinear, black outside), then maybe a 3x3 dilate or erode (stroke
 * thickness), then Gaussian pixel noise. Returns a new array; `src` is not changed.
 */
export function augmentImage(src: Float32Array, size: number, cfg: AugmentConfig, rng: Rng): Float32Array {
  if (!cfg.enabled) return src.slice();
  const angle = (rng.sym(cfg.rotation) * Math.PI) / 180;
  const scale = 1 + rng.sym(cfg.scale);
  const dx = rng.sym(cfg.shift) * size;
  const dy = rng.sym(cfg.shift) * size;
  let out = affine(src, size, angle, scale, dx, dy);
  if (cfg.thickness > 0 && rng.next() < cfg.thickness) out = morph(out, size, rng.next() < 0.5 ? 'dilate' : 'erode');
  if (cfg.noise > 0) {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]! + rng.normal() * cfg.noise));
  }
  return out;
}

function affine(src: Float32Array, size: number, angle: number, scale: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(size * size);
  const c = (size - 1) / 2;
  // Inverse map: output pixel → source position.
  const cos = Math.cos(-angle) / scale;
  const sin = Math.sin(-angle) / scale;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= size || yy >= size ? 0 : src[yy * size + xx]!);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ox = x - c - dx;
      const oy = y - c - dy;
      const sx = cos * ox - sin * oy + c;
      const sy = sin * ox + cos * oy + c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const wx = sx - x0;
      const wy = sy - y0;
      out[y * size + x] =
        (at(x0, y0) * (1 - wx) + at(x0 + 1, y0) * wx) * (1 - wy) + (at(x0, y0 + 1) * (1 - wx) + at(x0 + 1, y0 + 1) * wx) * wy;
    }
  }
  return out;
}

/** 3x3 grey-level dilation (max) or erosion (min); erosion keeps the image when it would erase it. */
export function morph(src: Float32Array, size: number, op: 'dilate' | 'erode'): Float32Array {
  const out = new Float32Array(size * size);
  const pick = op === 'dilate' ? Math.max : Math.min;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = src[y * size + x]!;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(size - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(size - 1, x + 1); xx++) v = pick(v, src[yy * size + xx]!);
      }
      out[y * size + x] = v;
    }
  }
  if (op === 'erode') {
    let before = 0;
    let after = 0;
    for (let i = 0; i < out.length; i++) {
      before += src[i]!;
      after += out[i]!;
    }
    // Thin strokes would vanish: keep the original instead.
    if (after < before * 0.35) return src.slice();
  }
  return out;
}
