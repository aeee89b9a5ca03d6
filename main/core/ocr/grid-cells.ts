import { normalizeGlyph } from '../imaging/glyph';
import { connectedComponents, type Component } from './components';
import { removeRulingLines } from './rulings';
import type { Gray } from './types';

/** A cell's character in the straightened grid: its model tile and its box (x0, y0 inclusive; x1, y1 exclusive). */
export interface CellGlyph {
  tile: Uint8Array;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Ink is darker than its cell's paper by this share of the grid's contrast (its lines' and characters' darkness). */
const INK = 0.4;
/** Unsharp mask of a character's darkness: amount, and blur radius as a share of its height. */
const SHARPEN = 1.5;
const SHARPEN_RADIUS = 0.1;
/**
 * A character's darkness (as a share of its own 90th percentile) mapped to the tile's black and
 * white: strokes come out about as thick as the training tiles' instead of a blurred blob.
 */
const LEVELS = [0.5, 0.9] as const;

/** The `q` quantile (0..1) of the pixels of one rectangle of `g`. */
function quantile(g: Gray, x0: number, y0: number, x1: number, y1: number, q: number): number {
  const hist = new Uint32Array(256);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hist[g.data[y * g.width + x]!]!++;
  const n = (x1 - x0) * (y1 - y0);
  let acc = 0;
  for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= q * n) return v;
  return 255;
}

/**
 * Per pixel of a straightened grid (rows × cols cells of `cell` px): how much darker it is than its
 * cell's paper (the cell's 75th percentile), so a shaded cell or a shadow across the photo reads like
 * the rest. Also the grid's contrast: the 98th percentile of that darkness (its lines and characters).
 */
export function inkDarkness(gray: Gray, rows: number, cols: number, cell: number): { dark: Uint8Array; contrast: number } {
  const dark = new Uint8Array(gray.width * gray.height);
  const hist = new Uint32Array(256);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x0 = c * cell;
      const y0 = r * cell;
      const bg = quantile(gray, x0, y0, x0 + cell, y0 + cell, 0.75);
      for (let y = y0; y < y0 + cell; y++) {
        for (let x = x0; x < x0 + cell; x++) {
          const d = Math.max(0, bg - gray.data[y * gray.width + x]!);
          dark[y * gray.width + x] = d;
          hist[d]!++;
        }
      }
    }
  }
  const n = rows * cols * cell * cell;
  let acc = 0;
  let contrast = 255;
  for (let v = 0; v < 256; v++) if ((acc += hist[v]!) >= 0.98 * n) {
    contrast = v;
    break;
  }
  return { dark, contrast: Math.max(contrast, 8) };
}

/**
 * The characters of a straightened grid's cells (row by row), null for an empty cell. Ink is what is
 * clearly darker than the cell's own paper; the ruling lines (long thin runs) are taken out, then a
 * cell's character is its ink near the middle: the largest piece whose centre lies in the middle 60%
 * of the cell and at least 30% of a cell tall, with the pieces beside it (a broken stroke). Remnants of
 * the lines along the cell's edges are left out. The tile is made from the darkness itself (grey levels,
 * not a binary mask: a small blurred character keeps its holes), cropped to the character and
 * normalized like the model's training tiles.
 */
export function cellGlyphs(gray: Gray, rows: number, cols: number, cell: number, tileSize: number): (CellGlyph | null)[] {
  const { width: W } = gray;
  const { dark, contrast } = inkDarkness(gray, rows, cols, cell);
  const t = INK * contrast;
  const ink = new Uint8Array(dark.length);
  for (let i = 0; i < dark.length; i++) ink[i] = dark[i]! > t ? 1 : 0;
  const clean = removeRulingLines({ data: ink, width: W, height: gray.height }, 0.8 * cell).mask.data;
  const out: (CellGlyph | null)[] = [];
  const sub = new Uint8Array(cell * cell);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const ox = c * cell;
      const oy = r * cell;
      for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) sub[y * cell + x] = clean[(oy + y) * W + ox + x]!;
      const lab = connectedComponents({ data: sub, width: cell, height: cell });
      const pieces = lab.components.filter((k) => !edgeRemnant(k, cell));
      const central = pieces.filter((k) => {
        const cx = (k.x0 + k.x1) / 2 / cell;
        const cy = (k.y0 + k.y1) / 2 / cell;
        return cx > 0.2 && cx < 0.8 && cy > 0.2 && cy < 0.8;
      });
      let core: Component | null = null;
      for (const k of central) if (!core || k.area > core.area) core = k;
      if (!core) {
        out.push(null);
        continue;
      }
      const pad = 0.12 * cell;
      const near = pieces.filter((k) => k === core || (k.x1 > core.x0 - pad && k.x0 < core.x1 + pad && k.y1 > core.y0 - pad && k.y0 < core.y1 + pad && k.area >= 3));
      const box = near.reduce((b, k) => ({ x0: Math.min(b.x0, k.x0), y0: Math.min(b.y0, k.y0), x1: Math.max(b.x1, k.x1), y1: Math.max(b.y1, k.y1) }), { x0: cell, y0: cell, x1: 0, y1: 0 });
      if (box.y1 - box.y0 < 0.3 * cell) {
        out.push(null);
        continue;
      }
      const keep = new Set(near.map((k) => k.label));
      out.push({ tile: cellTile(dark, W, ox, oy, lab.labels, cell, keep, box, t, contrast, tileSize), x0: ox + box.x0, y0: oy + box.y0, x1: ox + box.x1, y1: oy + box.y1 });
    }
  }
  return out;
}

/** A piece of a ruling line left at a cell's edge: it touches the edge and is thin along it. */
function edgeRemnant(k: Component, cell: number): boolean {
  const w = k.x1 - k.x0;
  const h = k.y1 - k.y0;
  const thin = 0.15 * cell;
  if ((k.x0 === 0 || k.x1 === cell) && w <= thin) return true;
  if ((k.y0 === 0 || k.y1 === cell) && h <= thin) return true;
  return false;
}

/**
 * The tile of one cell's character: the darkness of its pieces (and of the pixels right beside them,
 * where a blurred stroke fades) inside its box, normalized like training data.
 */
function cellTile(dark: Uint8Array, W: number, ox: number, oy: number, labels: Int32Array, cell: number, keep: Set<number>, box: { x0: number; y0: number; x1: number; y1: number }, t: number, contrast: number, tileSize: number): Uint8Array {
  const m = 2;
  const bx0 = Math.max(0, box.x0 - m);
  const by0 = Math.max(0, box.y0 - m);
  const bx1 = Math.min(cell, box.x1 + m);
  const by1 = Math.min(cell, box.y1 + m);
  const w = bx1 - bx0;
  const h = by1 - by0;
  // The darkness around the character, sharpened (unsharp mask): a blurred small character's holes
  // are only a little lighter than its strokes.
  const loc = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) loc[y * w + x] = dark[(oy + by0 + y) * W + ox + bx0 + x]!;
  const sharp = unsharp(loc, w, h, Math.max(1, Math.round((box.y1 - box.y0) * SHARPEN_RADIUS)), SHARPEN);
  const inGlyph = (x: number, y: number) => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const yy = by0 + y + dy;
        const xx = bx0 + x + dx;
        if (yy >= 0 && xx >= 0 && yy < cell && xx < cell && keep.has(labels[yy * cell + xx]!)) return true;
      }
    }
    return false;
  };
  const vals: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (keep.has(labels[(by0 + y) * cell + bx0 + x]!)) vals.push(sharp[y * w + x]!);
  vals.sort((a, b) => a - b);
  const peak = vals[Math.floor(0.9 * (vals.length - 1))] ?? contrast;
  const lo = LEVELS[0] * peak;
  const hi = LEVELS[1] * peak;
  const ramp = (d: number) => Math.round(255 * Math.min(1, Math.max(0, (d - lo) / (hi - lo))));
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inGlyph(x, y)) px[y * w + x] = ramp(sharp[y * w + x]!);
  return normalizeGlyph(px, w, h, tileSize, { threshold: ramp(t) });
}

/** `img` + alpha × (img − its box blur of radius `r`). */
function unsharp(img: Float32Array, w: number, h: number, r: number, alpha: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++, n++) s += img[y * w + k]!;
      tmp[y * w + x] = s / n;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++, n++) s += tmp[k * w + x]!;
      out[y * w + x] = img[y * w + x]! + alpha * (img[y * w + x]! - s / n);
    }
  }
  return out;
}
