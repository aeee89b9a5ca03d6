import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectedComponents } from '../../../main/core/ocr/components';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { isStacked, trimEnds } from '../../../main/core/ocr/mainline';
import { solidShare } from '../../../main/core/ocr/mainline-read';
import { recognize } from '../../../main/core/ocr/recognize';
import type { Glyph } from '../../../main/core/ocr/segment';
import type { Mask } from '../../../main/core/ocr/types';
import { templateClassifier } from './fixtures';

/** A mask of `w` × `h` with the given rectangles inked ([x0, y0, x1, y1), exclusive ends). */
function maskOf(w: number, h: number, rects: [number, number, number, number][]): Mask {
  const data = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 1;
  return { data, width: w, height: h };
}

const glyphOf = (labels: number[], x0: number, y0: number, x1: number, y1: number): Glyph => ({ x0, y0, x1, y1, labels, clipX0: x0, clipX1: x1 });

describe('stacked small characters at the ends of the main line', () => {
  it('tells two small characters in two rows from a character broken in two', () => {
    // Two boxes 20 × 24 one above the other (rows 0-24 and 30-54), and a tall bar with a short piece above it.
    const lab = connectedComponents(maskOf(100, 60, [[0, 0, 20, 24], [0, 30, 20, 54], [40, 0, 52, 10], [40, 12, 52, 60]]));
    const [a, b, c, d] = lab.components.sort((p, q) => p.x0 - q.x0 || p.y0 - q.y0);
    expect(isStacked(glyphOf([a!.label, b!.label], 0, 0, 20, 54), lab)).toBe(true);
    expect(isStacked(glyphOf([c!.label, d!.label], 40, 0, 52, 60), lab)).toBe(false);
    expect(isStacked(glyphOf([a!.label], 0, 0, 20, 24), lab)).toBe(false);
  });

  it('drops them at an end of the line, not inside it', () => {
    const rects: [number, number, number, number][] = [];
    const chars = [30, 70, 110, 150, 190].map((x) => [x, 10, x + 30, 70] as [number, number, number, number]);
    rects.push(...chars, [240, 10, 262, 36], [240, 44, 262, 70]);
    const lab = connectedComponents(maskOf(300, 80, rects));
    const glyphs = chars.map(([x0, y0, x1, y1]) => {
      const c = lab.components.find((k) => k.x0 === x0)!;
      return glyphOf([c.label], x0, y0, x1, y1);
    });
    const stackedParts = lab.components.filter((k) => k.x0 === 240).map((k) => k.label);
    const stacked = glyphOf(stackedParts, 240, 10, 262, 70);
    expect(trimEnds([...glyphs, stacked], 300, lab)).toEqual(glyphs);
    expect(trimEnds([...glyphs, stacked], 300)).toHaveLength(6);
    // Inside the line it stays (the reader judges it).
    const inside = [glyphs[0]!, glyphs[1]!, { ...stacked, x0: 125, x1: 128 }, ...glyphs.slice(2)];
    expect(trimEnds(inside, 300, lab)).toHaveLength(6);
  });
});

describe('pictures in the main line', () => {
  it('a solid silhouette has a large share of solid ink, a character of strokes none', () => {
    const lab = connectedComponents(maskOf(120, 60, [[0, 0, 50, 60], [70, 0, 78, 60], [70, 26, 110, 34], [102, 0, 110, 60]]));
    const [blob, h1, bar, h2] = lab.components.sort((p, q) => p.x0 - q.x0);
    const hLabels = [h1, bar, h2].filter(Boolean).map((c) => c!.label);
    expect(solidShare(glyphOf([blob!.label], 0, 0, 50, 60), lab, 8)).toBeGreaterThan(0.5);
    // Only the joins of the H's bar and stems are thicker than its strokes.
    expect(solidShare(glyphOf(hLabels, 70, 0, 110, 60), lab, 8)).toBeLessThan(0.2);
  });

  let cls: Awaited<ReturnType<typeof templateClassifier>>;
  beforeAll(async () => {
    cls = await templateClassifier();
  });

  it('reads the number without a silhouette standing between its halves', async () => {
    const xs = [40, 96, 152, 300, 356, 412];
    const chars = [...'KX7302'].map((c, i) => `<text x="${xs[i]}" y="150">${c}</text>`).join('');
    // A horse-like silhouette as tall as the characters, twice as wide.
    const horse = '<path d="M212 150 L220 110 L205 95 L225 88 L240 100 L270 98 L285 89 L292 110 L282 122 L286 150 L272 150 L268 128 L236 128 L230 150 Z"/>';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="200"><rect width="100%" height="100%" fill="white"/>
      <g fill="black">${horse}</g><g font-family="DejaVu Sans Mono" font-size="84" fill="black">${chars}</g></svg>`;
    const page = (await loadPages(await sharp(Buffer.from(svg)).png().toBuffer(), 'horse.png'))[0]!;
    const r = await recognize(page, cls, { profile: 'plate' });
    expect(r.text.replace(/\s/g, '')).toBe('KX7302');
  });

  it("reads the number without the frame's sides at its ends, and keeps a character the image's edge cuts", async () => {
    const xs = [40, 96, 152, 230, 286, 342];
    const chars = [...'KX7302'].map((c, i) => `<text x="${xs[i]}" y="150">${c}</text>`).join('');
    // The frame's sides: bars beside the first and last characters, from their top down below them.
    const frame = '<rect x="18" y="88" width="9" height="100"/><rect x="402" y="88" width="9" height="100"/>';
    const page = async (w: number) =>
      (await loadPages(await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="200"><rect width="100%" height="100%" fill="white"/>
      <g fill="black">${frame}</g><g font-family="DejaVu Sans Mono" font-size="84" fill="black">${chars}</g></svg>`)).png().toBuffer(), 'frame.png'))[0]!;
    expect((await recognize(await page(430), cls, { profile: 'plate' })).text.replace(/\s/g, '')).toBe('KX7302');
    // Cropped through the last character's right edge (the frame's right side is gone with it).
    const cut = await recognize(await page(380), cls, { profile: 'plate' });
    expect(cut.text.replace(/\s/g, '')).toBe('KX7302');
  });
});
