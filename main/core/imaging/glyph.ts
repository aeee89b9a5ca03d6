/**
 * Character tiles from 8-bit grayscale pixel buffers (row-major, one byte a pixel).
 *
 * Canonical form, shared by the dataset, training, evaluation and OCR: white ink (255) on a black (0)
 * background, like MNIST/EMNIST. `normalizeGlyph` makes a size×size tile the EMNIST way:
 *   1. threshold to find the ink bounding box (crop),
 *   2. scale the box, keeping its aspect ratio, so that its longer side fills `fill` of the tile
 *      (default 20/28, i.e. the MNIST/EMNIST margin of 4 px on a 28 px tile),
 *   3. centre it by its bounding box (EMNIST's "centre in a square frame"); `center: 'mass'` centres
 *      the centre of mass instead (MNIST's convention), clamped so the glyph stays inside the tile,
 *   4. resample with area averaging (every source pixel contributes by the area it covers), which
 *      keeps stroke intensity when shrinking and is exact for integer ratios.
 * Before resampling, levels are stretched (background → 0, brightest ink → 255): photos and scans then match
 * the contrast of EMNIST tiles.
 * All functions are pure: they never modify their input.
 */

export type Polarity = 'white-on-black' | 'black-on-white';

export interface Gray {
  px: Uint8Array;
  width: number;
  height: number;
}

function check(px: Uint8Array, w: number, h: number): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) throw new RangeError(`Bad image size ${w}x${h}`);
  if (px.length !== w * h) throw new RangeError(`Pixel buffer holds ${px.length} bytes, expected ${w}x${h} = ${w * h}`);
}

function median(values: Uint8Array | number[]): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < values.length; i++) hist[values[i]!]!++;
  const half = values.length / 2;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= half) return v;
  }
  return 255;
}

/** The border pixels (outer ring), each once. */
export function borderPixels(px: Uint8Array, w: number, h: number): Uint8Array {
  check(px, w, h);
  if (w <= 2 || h <= 2) return px.slice();
  const out = new Uint8Array(2 * w + 2 * (h - 2));
  let k = 0;
  for (let x = 0; x < w; x++) {
    out[k++] = px[x]!;
    out[k++] = px[(h - 1) * w + x]!;
  }
  for (let y = 1; y < h - 1; y++) {
    out[k++] = px[y * w]!;
    out[k++] = px[y * w + w - 1]!;
  }
  return out;
}

/** The background level: the median of the border (robust to ink that touches the edge). */
export function backgroundLevel(px: Uint8Array, w: number, h: number): number {
  return median(borderPixels(px, w, h));
}

/** Dark background (median border < 128) means white ink on black. */
export function detectPolarity(px: Uint8Array, w: number, h: number): Polarity {
  return backgroundLevel(px, w, h) < 128 ? 'white-on-black' : 'black-on-white';
}

/** Inverts a buffer (new array). */
export function invert(px: Uint8Array): Uint8Array {
  const out = new Uint8Array(px.length);
  for (let i = 0; i < px.length; i++) out[i] = 255 - px[i]!;
  return out;
}

/**
 * Canonical polarity: white ink on black. `polarity` says what the input is; by default it is detected
 * from the border. Returns a new buffer either way.
 */
export function toCanonical(px: Uint8Array, w: number, h: number, polarity: Polarity = detectPolarity(px, w, h)): Uint8Array {
  check(px, w, h);
  return polarity === 'black-on-white' ? invert(px) : px.slice();
}

export interface BBox {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

/** Bounding box of pixels > threshold, or null when there is no ink. */
export function inkBBox(px: Uint8Array, w: number, h: number, threshold: number): BBox | null {
  check(px, w, h);
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (px[row + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Area-averaging resample of a region of `src` into a dw×dh buffer. Each destination pixel is the mean of
 * the source area it covers (fractional pixels weighted by coverage). Works for shrinking and enlarging.
 */
export function resizeArea(
  src: Uint8Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  region: BBox = { x0: 0, y0: 0, x1: sw, y1: sh },
): Float32Array {
  check(src, sw, sh);
  const rw = region.x1 - region.x0;
  const rh = region.y1 - region.y0;
  if (rw <= 0 || rh <= 0 || dw <= 0 || dh <= 0) throw new RangeError('resizeArea: empty region or target');
  const wx = weights(rw, dw);
  const wy = weights(rh, dh);
  // Horizontal pass: rh rows × dw columns.
  const tmp = new Float32Array(rh * dw);
  for (let y = 0; y < rh; y++) {
    const row = (region.y0 + y) * sw + region.x0;
    for (let dx = 0; dx < dw; dx++) {
      const ws = wx[dx]!;
      let acc = 0;
      for (let k = 0; k < ws.idx.length; k++) acc += src[row + ws.idx[k]!]! * ws.w[k]!;
      tmp[y * dw + dx] = acc;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let dy = 0; dy < dh; dy++) {
    const ws = wy[dy]!;
    for (let dx = 0; dx < dw; dx++) {
      let acc = 0;
      for (let k = 0; k < ws.idx.length; k++) acc += tmp[ws.idx[k]! * dw + dx]! * ws.w[k]!;
      out[dy * dw + dx] = acc;
    }
  }
  return out;
}

/** For each of n destination cells over m source cells: the source indexes covered and normalized weights. */
function weights(m: number, n: number): { idx: number[]; w: number[] }[] {
  const scale = m / n;
  const res: { idx: number[]; w: number[] }[] = [];
  for (let d = 0; d < n; d++) {
    const a = d * scale;
    const b = (d + 1) * scale;
    const idx: number[] = [];
    const w: number[] = [];
    for (let s = Math.floor(a); s < Math.min(m, Math.ceil(b)); s++) {
      const cover = Math.min(b, s + 1) - Math.max(a, s);
      if (cover > 1e-9) {
        idx.push(s);
        w.push(cover / scale);
      }
    }
    res.push({ idx, w });
  }
  return res;
}

export interface NormalizeOptions {
  /** Fraction of the tile the longer side of the glyph fills (EMNIST/MNIST: 20/28). */
  fill?: number;
  /** Ink is > threshold. Default: halfway between the background (border median) and the brightest pixel, at least 1. */
  threshold?: number;
  /** 'bbox' (default, EMNIST) or 'mass' (MNIST: centre of mass at the tile centre). */
  center?: 'bbox' | 'mass';
}

/**
 * A size×size canonical tile from a canonical (white-on-black) image of any size: crop to the ink, pad to a
 * square keeping the aspect ratio with the EMNIST margin, centre, area-average resample. An image without ink
 * gives an all-black tile.
 */
export function normalizeGlyph(px: Uint8Array, w: number, h: number, size: number, opts: NormalizeOptions = {}): Uint8Array {
  check(px, w, h);
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`Bad tile size ${size}`);
  const fill = opts.fill ?? 20 / 28;
  let max = 0;
  for (let i = 0; i < px.length; i++) if (px[i]! > max) max = px[i]!;
  const bg = backgroundLevel(px, w, h);
  const threshold = opts.threshold ?? Math.max(1, Math.floor((bg + max) / 2));
  const out = new Uint8Array(size * size);
  const box = inkBBox(px, w, h, threshold);
  if (!box) return out;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const inner = Math.max(1, size * fill);
  const scale = inner / Math.max(bw, bh);
  const tw = Math.max(1, Math.min(size, Math.round(bw * scale)));
  const th = Math.max(1, Math.min(size, Math.round(bh * scale)));
  // Levels: background to 0, brightest ink to 255, so the padding matches the glyph's own background.
  const src = bg === 0 && max === 255 ? px : stretch(px, bg, max);
  const glyph = resizeArea(src, w, h, tw, th, box);
  let ox = (size - tw) / 2;
  let oy = (size - th) / 2;
  if (opts.center === 'mass') {
    let m = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const v = glyph[y * tw + x]!;
        m += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
      }
    if (m > 0) {
      ox = Math.min(size - tw, Math.max(0, size / 2 - mx / m));
      oy = Math.min(size - th, Math.max(0, size / 2 - my / m));
    }
  }
  const x0 = Math.round(ox);
  const y0 = Math.round(oy);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) out[(y0 + y) * size + x0 + x] = Math.min(255, Math.max(0, Math.round(glyph[y * tw + x]!)));
  return out;
}

function stretch(px: Uint8Array, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(px.length);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < px.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((px[i]! - lo) * k)));
  return out;
}

/** Transposes a w×h image (EMNIST's distribution files store images transposed). Result is h×w. */
export function transpose(px: Uint8Array, w: number, h: number): Uint8Array {
  check(px, w, h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = px[y * w + x]!;
  return out;
}
