/**
 * What the Document view draws over the page in screen pixels (not page pixels), so it stays readable
 * at any zoom: each glyph's character on a dark label above its box, and outlines around the words
 * under the confidence threshold and the word under review.
 */
import type { Box, CharRef, DocChar, DocPage } from './page-types';
import { wordCertainty, type WordRef } from './review';

export interface View {
  scale: number;
  tx: number;
  ty: number;
  dpr: number;
}

const MIN_LABEL_PX = 13;
const MAX_LABEL_PX = 22;

function toScreen(v: View, b: Box): [number, number, number, number] {
  return [v.tx + b[0] * v.scale, v.ty + b[1] * v.scale, b[2] * v.scale, b[3] * v.scale];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/**
 * The label font size in screen pixels: grows with the glyphs on screen between 13 and 22 px. `dense`
 * when the glyphs are too narrow on screen for a label each (then only the uncertain and the selected get one).
 */
export function labelSize(page: DocPage, scale: number): { px: number; dense: boolean } {
  const chars = page.lines.flatMap((l) => l.chars);
  const h = median(chars.map((c) => c.box[3])) * scale;
  const w = median(chars.map((c) => c.box[2])) * scale;
  const px = Math.round(Math.min(MAX_LABEL_PX, Math.max(MIN_LABEL_PX, h * 0.45)));
  return { px, dense: w < px * 0.62 + 4 };
}

export function drawLabels(ctx: CanvasRenderingContext2D, page: DocPage, v: View, selected: CharRef | null, threshold = 0.6): void {
  ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
  const { px, dense } = labelSize(page, v.scale);
  ctx.font = `700 ${px}px ui-monospace, "DejaVu Sans Mono", monospace`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const bh = px + 4;
  page.lines.forEach((line, li) =>
    line.chars.forEach((c, ci) => {
      const isSel = selected?.line === li && selected?.char === ci;
      if (dense && !isSel && (c.corrected || c.confidence >= threshold)) return;
      const [x, y, w, h] = toScreen(v, c.box);
      const bw = Math.max(ctx.measureText(c.char).width + 6, bh * 0.8);
      const lx = x + w / 2 - bw / 2;
      // Above the box; below it when the top of the view would cut it.
      const ly = y - bh - 2 >= 0 ? y - bh - 2 : y + h + 2;
      ctx.fillStyle = isSel ? '#e640c8' : 'rgba(15, 17, 21, 0.88)';
      ctx.beginPath();
      ctx.roundRect(lx, ly, bw, bh, 3);
      ctx.fill();
      ctx.fillStyle = confidenceColor(c);
      ctx.fillRect(lx + 2, ly + bh - 3, bw - 4, 2);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(c.char, lx + bw / 2, ly + bh / 2);
    }),
  );
  ctx.textAlign = 'start';
}

export function drawWords(ctx: CanvasRenderingContext2D, page: DocPage, v: View, threshold: number, current: WordRef | null): void {
  ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
  page.lines.forEach((line, li) =>
    line.words.forEach((w, wi) => {
      const isCurrent = current?.line === li && current?.word === wi;
      if (!isCurrent && wordCertainty(line, w) >= threshold) return;
      const [x, y, bw, bh] = toScreen(v, w.box);
      const pad = isCurrent ? 5 : 3;
      ctx.lineWidth = isCurrent ? 2.5 : 1.5;
      ctx.strokeStyle = isCurrent ? '#e640c8' : '#ff9f1a';
      ctx.setLineDash(isCurrent ? [] : [5, 3]);
      ctx.strokeRect(x - pad, y - pad, bw + 2 * pad, bh + 2 * pad);
    }),
  );
  ctx.setLineDash([]);
}

export function confidenceColor(c: DocChar): string {
  if (c.corrected) return '#4c8dff';
  if (c.confidence >= 0.9) return '#3fb950';
  if (c.confidence >= 0.6) return '#d29922';
  return '#f85149';
}
