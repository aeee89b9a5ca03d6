import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { trimEnds } from '../../../main/core/ocr/mainline';
import { fitBand } from '../../../main/core/ocr/mainline-band';
import { layoutPage } from '../../../main/core/ocr/layout';
import type { Glyph } from '../../../main/core/ocr/segment';
import { glyphTile, lineStretch } from '../../../main/core/ocr/tiles';
import { DEFAULT_SETTINGS, type Page } from '../../../main/core/ocr/types';

const PLATE = 'KX7302';
const PITCH = 56;
const X0 = 70;
const BASE = 150;
const SIZE = 84;

/**
 * A licence-plate-like image: a frame, a dark band with the state name that the first character
 * touches, an emblem made of many small parts left of the number, a dash in the number, small print
 * below and a bolt hole. Characters of a monospace face at known positions.
 */
function plateSvg(opts: { touch?: boolean; emblem?: boolean } = {}): string {
  const chars = [...PLATE].map((c, i) => `<text x="${X0 + i * PITCH + (i >= 3 ? 30 : 0)}" y="${BASE}">${c}</text>`).join('');
  const dots = Array.from({ length: 12 }, (_, i) => `<circle cx="${30 + (i % 3) * 8}" cy="${85 + Math.floor(i / 3) * 15}" r="3"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="230">
    <rect width="100%" height="100%" fill="white"/>
    <rect x="4" y="4" width="472" height="222" rx="14" fill="none" stroke="black" stroke-width="5"/>
    <rect x="4" y="4" width="472" height="40" fill="black"/>
    ${opts.touch ? `<rect x="4" y="40" width="${X0 + 30}" height="${BASE - Math.round(0.73 * SIZE) - 40 + 5}" fill="black"/>` : ''}
    <text x="160" y="34" font-family="DejaVu Sans" font-size="26" fill="white">NOWHERE</text>
    ${opts.emblem ? `<g fill="black"><circle cx="38" cy="110" r="26" fill="none" stroke="black" stroke-width="3"/>${dots}</g>` : ''}
    <rect x="${X0 + 3 * PITCH - 4}" y="${BASE - 32}" width="26" height="8" fill="black"/>
    <circle cx="440" cy="190" r="6" fill="black"/>
    <g font-family="DejaVu Sans Mono" font-weight="bold" font-size="${SIZE}" fill="black">${chars}</g>
    <text x="150" y="205" font-family="DejaVu Sans" font-size="16" fill="black">SMALL PRINT MOTTO</text>
  </svg>`;
}

async function pageOf(svg: string): Promise<Page> {
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return (await loadPages(png, 'plate.png'))[0]!;
}

/** Centres of the number's characters in the image. */
const centres = [...PLATE].map((_, i) => X0 + i * PITCH + (i >= 3 ? 30 : 0) + 0.3 * SIZE);

function matches(glyphs: Glyph[]): number[] {
  return glyphs.map((g) => {
    const cx = (g.x0 + g.x1) / 2;
    const i = centres.findIndex((c) => Math.abs(c - cx) < PITCH / 3);
    return i;
  });
}

describe('main line (plates)', () => {
  it('finds every character of the number, left to right, not the dash, the emblem, the frame or the small print', async () => {
    const page = await pageOf(plateSvg({ touch: true, emblem: true }));
    const layout = layoutPage(page, DEFAULT_SETTINGS, true);
    expect(layout.lines).toHaveLength(1);
    const glyphs = layout.lines[0]!.glyphs;
    expect(matches(glyphs)).toEqual([0, 1, 2, 3, 4, 5]);
    // The first character touched the dark band above: it is cut free at the top of the line.
    const k = glyphs[0]!;
    expect(k.y1 - k.y0).toBeLessThan(1.2 * (glyphs[1]!.y1 - glyphs[1]!.y0));
  });

  it('fits the band of a tilted line (top and bottom edges follow the tilt)', async () => {
    const png = await sharp(await sharp(Buffer.from(plateSvg())).png().toBuffer())
      .rotate(-4, { background: '#fff' })
      .png()
      .toBuffer();
    const page = (await loadPages(png, 'tilted.png'))[0]!;
    const layout = layoutPage(page, { ...DEFAULT_SETTINGS, deskew: false }, true);
    const band = fitBand(layout.lines[0]!)!;
    expect(band).not.toBeNull();
    // Rotated 4° counter-clockwise: the line rises to the right by tan(4°).
    expect(band.topB).toBeCloseTo(-Math.tan((4 * Math.PI) / 180), 1);
    expect(band.botB).toBeCloseTo(-Math.tan((4 * Math.PI) / 180), 1);
    expect(layout.lines[0]!.glyphs).toHaveLength(PLATE.length);
  });
});

describe('crops of condensed lines', () => {
  const glyph = (x0: number, w: number, h = 60): Glyph => ({ x0, y0: 0, x1: x0 + w, y1: h, labels: [1], clipX0: x0, clipX1: x0 + w });

  it('widens a line of narrow characters, and leaves ordinary ones as the training data is', () => {
    const narrow = [0, 40, 80, 120, 160].map((x) => glyph(x, 30));
    expect(lineStretch(narrow, 60)).toBeCloseTo(0.72 / 0.5, 5);
    const ordinary = [0, 50, 100, 150].map((x) => glyph(x, 40));
    expect(lineStretch(ordinary, 60)).toBe(1);
    // Too few full-height characters to tell: no change.
    expect(lineStretch(narrow.slice(0, 2), 60)).toBe(1);
  });

  it('a stretched crop is wider in the tile and as tall', () => {
    // A 10 × 40 bar as one component.
    const w = 20;
    const h = 50;
    const labels = new Int32Array(w * h);
    for (let y = 5; y < 45; y++) for (let x = 5; x < 15; x++) labels[y * w + x] = 1;
    const lab = { labels, width: w, height: h, components: [{ label: 1, x0: 5, y0: 5, x1: 15, y1: 45, area: 400 }] };
    const g: Glyph = { x0: 5, y0: 5, x1: 15, y1: 45, labels: [1], clipX0: 5, clipX1: 15 };
    const inkCols = (t: Uint8Array) => {
      let n = 0;
      for (let x = 0; x < 28; x++) {
        let any = false;
        for (let y = 0; y < 28; y++) if (t[y * 28 + x]! > 64) any = true;
        if (any) n++;
      }
      return n;
    };
    const inkRows = (t: Uint8Array) => {
      let n = 0;
      for (let y = 0; y < 28; y++) if (t.subarray(y * 28, y * 28 + 28).some((v) => v > 64)) n++;
      return n;
    };
    const plain = glyphTile(g, lab, 28);
    const wide = glyphTile(g, lab, 28, 1.6);
    expect(inkCols(wide)).toBeGreaterThan(inkCols(plain) + 1);
    expect(inkRows(wide)).toBe(inkRows(plain));
  });
});

describe('ends of the main line', () => {
  const g = (x0: number, w: number, y0: number, h: number): Glyph => ({ x0, y0, x1: x0 + w, y1: y0 + h, labels: [1], clipX0: x0, clipX1: x0 + w });
  const number = [60, 100, 140, 200, 240, 280].map((x) => g(x, 34, 40, 75));

  it('drops a badge, a short picture or a frame piece at either end, and keeps the characters', () => {
    const badge = g(5, 52, 35, 84); // wider, and not of the characters' height
    const cactus = g(25, 20, 58, 57); // much shorter
    const frame = g(316, 8, 30, 90); // cut by the image's right edge (width 320)
    expect(trimEnds([badge, ...number, frame], 320)).toEqual(number);
    expect(trimEnds([cactus, ...number], 320)).toEqual(number);
    // A wide character of the line's height (a W) stays; so does a narrow one (a 1).
    const w = g(10, 48, 40, 75);
    const one = g(330 - 10, 14, 40, 75);
    expect(trimEnds([w, ...number, one], 400)).toEqual([w, ...number, one]);
  });
});
