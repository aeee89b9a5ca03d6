import sharp from 'sharp';
import { makeClassification } from '../../../main/core/ml/inference/classification';
import { normalizeGlyph } from '../../../main/core/imaging/glyph';
import type { OcrClassifier } from '../../../main/core/ocr/types';

export const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface PageSpec {
  lines: string[];
  fontSize?: number;
  font?: string;
  /** Pixels between character origins (monospace layout, so every box is known). */
  pitch?: number;
  lineGap?: number;
  margin?: number;
  /** Draw a ruled grid over the text (cell = one character pitch by one line). */
  grid?: boolean;
  /** Underline each line. */
  underline?: boolean;
  width?: number;
}

export interface RenderedPage {
  svg: string;
  width: number;
  height: number;
  /** Character cells in reading order (spaces excluded): x of the origin, baseline y. */
  cells: { char: string; x: number; y: number; line: number }[];
  fontSize: number;
}

/** An SVG page with each character placed at a known position (one <text> per character). */
export function pageSvg(spec: PageSpec): RenderedPage {
  const fontSize = spec.fontSize ?? 32;
  const pitch = spec.pitch ?? Math.round(fontSize * 0.9);
  const lineGap = spec.lineGap ?? Math.round(fontSize * 1.8);
  const margin = spec.margin ?? 40;
  const font = spec.font ?? 'DejaVu Sans Mono';
  const longest = Math.max(...spec.lines.map((l) => l.length));
  const width = spec.width ?? margin * 2 + longest * pitch;
  const height = margin * 2 + spec.lines.length * lineGap;
  const cells: RenderedPage['cells'] = [];
  const parts: string[] = [];
  spec.lines.forEach((line, li) => {
    const y = margin + li * lineGap + fontSize;
    [...line].forEach((ch, ci) => {
      if (ch === ' ') return;
      const x = margin + ci * pitch;
      cells.push({ char: ch, x, y, line: li });
      parts.push(`<text x="${x}" y="${y}">${ch}</text>`);
    });
    if (spec.underline) parts.push(`<rect x="${margin - 10}" y="${y + 8}" width="${line.length * pitch + 20}" height="3" fill="black"/>`);
  });
  if (spec.grid) {
    for (let li = 0; li <= spec.lines.length; li++) {
      const y = margin + li * lineGap - Math.round((lineGap - fontSize) / 2) + 4;
      parts.push(`<rect x="${margin - pitch / 2}" y="${y}" width="${(longest + 1) * pitch}" height="2" fill="black"/>`);
    }
    for (let ci = 0; ci <= longest; ci++) {
      const x = margin + ci * pitch - Math.round((pitch - fontSize * 0.6) / 2) - 2;
      parts.push(`<rect x="${x}" y="${margin - lineGap / 2 + 8}" width="2" height="${spec.lines.length * lineGap}" fill="black"/>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><g font-family="${font}" font-size="${fontSize}" fill="black">${parts.join('')}</g></svg>`;
  return { svg, width, height, cells, fontSize };
}

/** Renders a page to PNG, optionally rotated by `degrees` (clockwise on screen, white corners). */
export async function renderPng(page: RenderedPage, degrees = 0): Promise<Buffer> {
  let img = sharp(Buffer.from(page.svg)).flatten({ background: '#ffffff' });
  if (degrees) {
    const png = await img.png().toBuffer();
    img = sharp(png).rotate(degrees, { background: '#ffffff' });
  }
  return img.png().toBuffer();
}

/** Renders one character alone (for templates) as white-on-black gray pixels. */
async function renderChar(ch: string, font: string): Promise<{ px: Uint8Array; w: number; h: number }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><rect width="100%" height="100%" fill="black"/><text x="15" y="62" font-family="${font}" font-size="56" fill="white">${ch}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { px: new Uint8Array(data), w: info.width, h: info.height };
}

/**
 * A stand-in classifier for pipeline tests: nearest template (correlation) against the classes
 * rendered in the test's font and normalized the same way as OCR crops. Reads clean printed pages
 * of that font; it is not the product's model.
 */
export async function templateClassifier(font = 'DejaVu Sans Mono', size = 28, classes = CLASSES): Promise<OcrClassifier & { calls: number }> {
  const templates: Float32Array[] = [];
  for (const ch of classes) {
    const { px, w, h } = await renderChar(ch, font);
    // Binarize like the page pipeline does, so templates and crops share their form.
    const bin = px.map((v) => (v > 127 ? 255 : 0));
    templates.push(unit(normalizeGlyph(bin, w, h, size, { threshold: 127 })));
  }
  const self = {
    classes,
    inputSize: size,
    calls: 0,
    async classify(pixels: Float32Array, n: number) {
      self.calls++;
      const c = classes.length;
      const probs = new Float32Array(n * c);
      for (let i = 0; i < n; i++) {
        const v = unit(pixels.subarray(i * size * size, (i + 1) * size * size));
        const scores = templates.map((t) => dot(t, v));
        const exps = scores.map((s) => Math.exp(20 * s));
        const z = exps.reduce((a, b) => a + b, 0);
        exps.forEach((e, j) => (probs[i * c + j] = e / z));
      }
      return makeClassification(probs, classes);
    },
  };
  return self;
}

function unit(a: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(a);
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i]! - mean;
    norm += out[i]! * out[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
