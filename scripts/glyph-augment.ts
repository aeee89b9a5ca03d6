// One rendered character (ink coverage 0..1 at ~50 px tall) turned into a 28 px model tile the way the
// OCR pipeline makes one from a page: slanted, rotated, squeezed or widened, rendered small, blurred,
// thinned or thickened, then mostly binarized and cropped to its ink (main/core/ocr/tiles.ts glyphTile:
// `normalizeGlyph(binaryCrop, threshold 127)`); the rest grey and faded, normalized as an imported image is.
import { normalizeGlyph } from '../main/core/imaging/glyph';

export interface Ink {
  v: Float32Array;
  w: number;
  h: number;
}
export type Rnd = () => number;

const sym = (rnd: Rnd, a: number): number => (rnd() * 2 - 1) * a;

/** The master cropped to its ink (coverage > 0.02), or null when there is none. */
export function trimInk(img: Ink): Ink | null {
  let x0 = img.w;
  let y0 = img.h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.h; y++)
    for (let x = 0; x < img.w; x++)
      if (img.v[y * img.w + x]! > 0.02) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const v = new Float32Array(w * h);
  for (let y = 0; y < h; y++) v.set(img.v.subarray((y + y0) * img.w + x0, (y + y0) * img.w + x0 + w), y * w);
  return { v, w, h };
}

function bilinear(m: Ink, x: number, y: number): number {
  if (x < -1 || y < -1 || x > m.w || y > m.h) return 0;
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const at = (a: number, b: number): number => (a < 0 || b < 0 || a >= m.w || b >= m.h ? 0 : m.v[b * m.w + a]!);
  return (at(xi, yi) * (1 - fx) + at(xi + 1, yi) * fx) * (1 - fy) + (at(xi, yi + 1) * (1 - fx) + at(xi + 1, yi + 1) * fx) * fy;
}

/** Affine warp (scale, squeeze, shear, rotation) of the master to its target size, supersampled. */
function warp(m: Ink, height: number, sx: number, shear: number, rot: number): Ink {
  const s = height / m.h;
  // forward: p' = R * Sh * S * (p - c); S = diag(s*sx, s), Sh: x += shear*y (y grows downwards)
  const cos = Math.cos(rot);
  const sin = Math.sin(rot);
  const a = [s * sx, shear * s, 0, s]; // Sh*S as [a00 a01; a10 a11]
  const f = [cos * a[0]! - sin * a[2]!, cos * a[1]! - sin * a[3]!, sin * a[0]! + cos * a[2]!, sin * a[1]! + cos * a[3]!];
  const det = f[0]! * f[3]! - f[1]! * f[2]!;
  const inv = [f[3]! / det, -f[1]! / det, -f[2]! / det, f[0]! / det];
  const cx = m.w / 2;
  const cy = m.h / 2;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [px, py] of [[-cx, -cy], [cx, -cy], [-cx, cy], [cx, cy]] as const) {
    const X = f[0]! * px + f[1]! * py;
    const Y = f[2]! * px + f[3]! * py;
    minX = Math.min(minX, X);
    maxX = Math.max(maxX, X);
    minY = Math.min(minY, Y);
    maxY = Math.max(maxY, Y);
  }
  const pad = 3;
  const w = Math.ceil(maxX - minX) + 2 * pad;
  const h = Math.ceil(maxY - minY) + 2 * pad;
  const ss = Math.min(4, Math.max(1, Math.ceil(1 / Math.min(s, s * sx))));
  const v = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let j = 0; j < ss; j++)
        for (let i = 0; i < ss; i++) {
          const X = x + (i + 0.5) / ss + minX - pad;
          const Y = y + (j + 0.5) / ss + minY - pad;
          acc += bilinear(m, inv[0]! * X + inv[1]! * Y + cx - 0.5, inv[2]! * X + inv[3]! * Y + cy - 0.5);
        }
      v[y * w + x] = acc / (ss * ss);
    }
  return { v, w, h };
}

function blur(m: Ink, sigma: number): Ink {
  const r = Math.ceil(sigma * 2.5);
  const k: number[] = [];
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    const e = Math.exp(-(i * i) / (2 * sigma * sigma));
    k.push(e);
    sum += e;
  }
  const tmp = new Float32Array(m.w * m.h);
  const out = new Float32Array(m.w * m.h);
  for (let y = 0; y < m.h; y++)
    for (let x = 0; x < m.w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += (m.v[y * m.w + Math.min(m.w - 1, Math.max(0, x + i))] ?? 0) * k[i + r]!;
      tmp[y * m.w + x] = a / sum;
    }
  for (let y = 0; y < m.h; y++)
    for (let x = 0; x < m.w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += (tmp[Math.min(m.h - 1, Math.max(0, y + i)) * m.w + x] ?? 0) * k[i + r]!;
      out[y * m.w + x] = a / sum;
    }
  return { v: out, w: m.w, h: m.h };
}

/** 3x3 max (dilate, dir 1) or min (erode, dir -1). */
function morph(m: Ink, dir: 1 | -1): Ink {
  const out = new Float32Array(m.w * m.h);
  for (let y = 0; y < m.h; y++)
    for (let x = 0; x < m.w; x++) {
      let best = dir > 0 ? 0 : 1;
      for (let j = -1; j <= 1; j++)
        for (let i = -1; i <= 1; i++) {
          const X = x + i;
          const Y = y + j;
          const val = X < 0 || Y < 0 || X >= m.w || Y >= m.h ? 0 : m.v[Y * m.w + X]!;
          best = dir > 0 ? Math.max(best, val) : Math.min(best, val);
        }
      out[y * m.w + x] = best;
    }
  return { v: out, w: m.w, h: m.h };
}

/** Zeroes 5-15% of the ink box on one side: a crop that cut into the character. */
function cutSide(px: Uint8Array, w: number, h: number, rnd: Rnd): void {
  let x0 = w;
  let x1 = -1;
  let y0 = h;
  let y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (px[y * w + x]! > 127) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return;
  const side = Math.floor(rnd() * 4);
  const f = 0.05 + rnd() * 0.1;
  const cw = Math.max(1, Math.round((side < 2 ? x1 - x0 + 1 : y1 - y0 + 1) * f));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const cut = side === 0 ? x < x0 + cw : side === 1 ? x > x1 - cw : side === 2 ? y < y0 + cw : y > y1 - cw;
      if (cut) px[y * w + x] = 0;
    }
}

/** One augmented 28 px tile (white on black), or null when nothing of the glyph survives. */
export function augmentedTile(master: Ink, rnd: Rnd, size = 28): Uint8Array | null {
  const height = 12 + rnd() * 36;
  const narrow = rnd() < 0.15;
  const sx = narrow ? 0.55 + rnd() * 0.2 : Math.exp(sym(rnd, Math.log(1.25)));
  const shear = rnd() < 0.5 ? sym(rnd, 0.25) : 0;
  const rot = (sym(rnd, 4) * Math.PI) / 180;
  let img = warp(master, height, sx, shear, rot);
  if (rnd() < 0.5) img = blur(img, 0.35 + rnd() * (height > 24 ? 1.1 : 0.6));
  const plain = img;
  const m = rnd();
  if (height > 20 && m < 0.12) img = morph(img, 1);
  else if (height > 30 && m < 0.18) img = morph(img, -1);
  const px = new Uint8Array(img.w * img.h);
  if (rnd() < 0.72) {
    let t = 0.25 + rnd() * 0.35;
    let on = 0;
    for (let i = 0; i < px.length; i++) on += (px[i] = img.v[i]! > t ? 255 : 0) ? 1 : 0;
    // Thin strokes that thinning or a high threshold broke apart: a mislabelled sample, not faded print.
    let ref = 0;
    for (let i = 0; i < px.length; i++) ref += plain.v[i]! > 0.5 ? 1 : 0;
    if (on < 0.6 * ref) {
      img = plain;
      t = 0.35;
      for (let i = 0; i < px.length; i++) px[i] = img.v[i]! > t ? 255 : 0;
    }
    if (rnd() < 0.08) cutSide(px, img.w, img.h, rnd);
    const tile = normalizeGlyph(px, img.w, img.h, size, { threshold: 127 });
    return tile.some((p) => p > 0) ? tile : null;
  }
  const ink = 0.4 + rnd() * 0.6;
  const bg = rnd() * 0.2;
  const noise = rnd() * 0.05;
  for (let i = 0; i < px.length; i++) {
    const val = bg + (ink - bg) * img.v[i]! + noise * (rnd() + rnd() + rnd() - 1.5);
    px[i] = Math.round(255 * Math.min(1, Math.max(0, val)));
  }
  const tile = normalizeGlyph(px, img.w, img.h, size);
  return tile.some((p) => p > 0) ? tile : null;
}
