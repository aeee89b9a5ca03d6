import type { AugmentConfig } from '../../common/contract/training';
import type { Rng } from './rng';
import { inkAugment } from './augment-ink';

/**
 * One random augmentation of a size×size image (floats 0..1, white ink on black): rotation, shear
 * (slant), scale and shift as one affine map (bilinear, black outside), then maybe a 3x3 dilate or erode (stroke
 * thickness), then the paper's and the hand's (augment-ink.ts: fill, elastic, blur, fade, crop), then Gaussian
 * pixel noise. Returns a new array; `src` is not changed.
 */
export function augmentImage(src: Float32Array, size: number, cfg: AugmentConfig, rng: Rng): Float32Array {
  if (!cfg.enabled) return src.slice();
  const angle = (rng.sym(cfg.rotation) * Math.PI) / 180;
  const scale = 1 + rng.sym(cfg.scale);
  const dx = rng.sym(cfg.shift) * size;
  const dy = rng.sym(cfg.shift) * size;
  const shear = cfg.shear > 0 ? rng.sym(cfg.shear) : 0;
  let out = affine(src, size, angle, scale, dx, dy, shear);
  if (cfg.thickness > 0 && rng.next() < cfg.thickness) out = morph(out, size, rng.next() < 0.5 ? 'dilate' : 'erode');
  out = inkAugment(out, size, cfg, rng);
  if (cfg.noise > 0) rng.addNormals(out, cfg.noise, 0, 1);
  return out;
}

function affine(src: Float32Array, size: number, angle: number, scale: number, dx: number, dy: number, shear: number): Float32Array {
  const out = new Float32Array(size * size);
  const c = (size - 1) / 2;
  // Inverse map: output pixel → source position.
  const cos = Math.cos(-angle) / scale;
  const sin = Math.sin(-angle) / scale;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= size || yy >= size ? 0 : src[yy * size + xx]!);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const oy = y - c - dy;
      const ox = x - c - dx - shear * oy; // undo the slant: x' = x + shear·y

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

/**
 * 3x3 grey-level dilation (max) or erosion (min), the window clipped at the borders; erosion keeps the
 * image when it would erase it. Separable: the 3-wide max/min along rows, then along columns.
 */
export function morph(src: Float32Array, size: number, op: 'dilate' | 'erode'): Float32Array {
  const rows = new Float32Array(size * size);
  const out = new Float32Array(size * size);
  if (op === 'dilate') {
    along(src, rows, size, 1, size, true);
    along(rows, out, size, size, 1, true);
  } else {
    along(src, rows, size, 1, size, false);
    along(rows, out, size, size, 1, false);
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

/**
 * dst = max (or min) of each element and its two neighbours along one axis (`step` apart; lines
 * `stride` apart), clipped at the ends.
 */
function along(src: Float32Array, dst: Float32Array, size: number, step: number, stride: number, max: boolean): void {
  for (let line = 0; line < size; line++) {
    const base = line * stride;
    for (let k = 0; k < size; k++) {
      const at = base + k * step;
      let v = src[at]!;
      if (k > 0) {
        const w = src[at - step]!;
        if (max ? w > v : w < v) v = w;
      }
      if (k < size - 1) {
        const w = src[at + step]!;
        if (max ? w > v : w < v) v = w;
      }
      dst[at] = v;
    }
  }
}
