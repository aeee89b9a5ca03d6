import { normalizeGlyph } from '../imaging/glyph';
import type { Labeling } from './components';
import { glyphImage, type Glyph } from './segment';

/**
 * Aspect of the fonts the model learned from: printed and handwritten capitals and digits are about
 * 0.6–0.8 as wide as tall. Condensed faces (licence plates, narrow signage) are far narrower, and a
 * narrow A reads as a 1 to such a model. A line whose full-height characters are, at the median,
 * narrower than NARROW is widened (all its characters alike, so a 1 stays narrower than a 0) until
 * the median reaches TARGET; other lines are cropped exactly as the training data is.
 */
const NARROW = 0.52;
const TARGET = 0.72;
const MAX_STRETCH = 1.6;

/** Horizontal stretch for the crops of one line (1 = none). */
export function lineStretch(glyphs: Glyph[], lineHeight: number): number {
  const aspects = glyphs
    .filter((g) => g.y1 - g.y0 >= 0.8 * lineHeight)
    .map((g) => (Math.min(g.x1, g.clipX1) - Math.max(g.x0, g.clipX0)) / (g.y1 - g.y0))
    .sort((a, b) => a - b);
  if (aspects.length < 3) return 1;
  const med = aspects[Math.floor(aspects.length / 2)]!;
  if (med <= 0 || med >= NARROW) return 1;
  return Math.min(MAX_STRETCH, TARGET / med);
}

/** Nearest-neighbour horizontal stretch of a white-on-black crop. */
export function stretchX(img: { px: Uint8Array; width: number; height: number }, f: number): { px: Uint8Array; width: number; height: number } {
  if (f === 1) return img;
  const w = Math.max(1, Math.round(img.width * f));
  const px = new Uint8Array(w * img.height);
  const src = new Int32Array(w);
  for (let x = 0; x < w; x++) src[x] = Math.min(img.width - 1, Math.floor(x / f));
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < w; x++) px[y * w + x] = img.px[row + src[x]!]!;
  }
  return { px, width: w, height: img.height };
}

/**
 * The model input for one glyph: its own pixels (white on black, 2 px of margin), widened by the
 * line's stretch, then `normalizeGlyph` as for every training sample (crop to ink, pad to square
 * keeping the aspect, EMNIST margin, centre, area resampling). The crop is binary, so the ink
 * threshold is fixed.
 */
export function glyphTile(g: Glyph, lab: Labeling, size: number, stretch = 1): Uint8Array {
  const img = stretchX(glyphImage(g, lab, 2), stretch);
  return normalizeGlyph(img.px, img.width, img.height, size, { threshold: 127 });
}
