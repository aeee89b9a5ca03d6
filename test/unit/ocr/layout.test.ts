import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { binarize } from '../../../main/core/ocr/binarize';
import { connectedComponents } from '../../../main/core/ocr/components';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { layoutPage } from '../../../main/core/ocr/layout';
import { buildLattice } from '../../../main/core/ocr/reader/lattice';
import { removeRulingLines } from '../../../main/core/ocr/rulings';
import { estimateSkew } from '../../../main/core/ocr/skew';
import { DEFAULT_SETTINGS, type Page } from '../../../main/core/ocr/types';
import { pageSvg, renderPng, type RenderedPage } from './fixtures';

const TEXT = ['QUICK 2049 BROWN', 'FOX 7 JUMPS OVER', 'LAZY DOG 3815 AT'];

async function pageOf(png: Buffer): Promise<Page> {
  const [p] = await loadPages(png, 'fixture.png');
  return p!;
}

/**
 * Where each character's centre should be on the rendered page, rotated by `degrees` (sharp grows
 * the canvas; the page centre stays the centre) and then deskewed back about the centre.
 */
function expectedCentres(page: RenderedPage, outW: number, outH: number) {
  const dx = (outW - page.width) / 2;
  const dy = (outH - page.height) / 2;
  return page.cells.map((c) => ({ ...c, cx: c.x + 0.3 * page.fontSize + dx, cy: c.y - 0.36 * page.fontSize + dy }));
}

/** Matches each found box to the nearest expected centre; returns the cell index per box, in reading order. */
function matchOrder(layout: ReturnType<typeof layoutPage>, cells: ReturnType<typeof expectedCentres>, tolerance: number) {
  const order: number[] = [];
  for (const line of layout.lines) {
    for (const g of line.glyphs) {
      const gx = (g.x0 + g.x1) / 2;
      const gy = (g.y0 + g.y1) / 2;
      let best = -1;
      let bestD = Infinity;
      cells.forEach((c, i) => {
        const d = Math.hypot(c.cx - gx, c.cy - gy);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      });
      order.push(bestD <= tolerance ? best : -1);
    }
  }
  return order;
}

describe('skew', () => {
  const page = pageSvg({ lines: TEXT, fontSize: 30 });
  for (const deg of [-6, -2.5, 0, 1.5, 4]) {
    it(`recovers a rotation of ${deg}° within 0.5°`, async () => {
      const p = await pageOf(await renderPng(page, deg));
      const skew = estimateSkew(binarize(p).mask);
      // sharp rotates clockwise for positive angles: the text then falls to the right (negative skew).
      expect(Math.abs(skew - -deg)).toBeLessThanOrEqual(0.5);
    });
  }
});

describe('ruling lines', () => {
  it('removes a grid and underlines but keeps the characters', async () => {
    const grid = await pageOf(await renderPng(pageSvg({ lines: TEXT, grid: true, underline: true })));
    const plain = await pageOf(await renderPng(pageSvg({ lines: TEXT })));
    const withLines = binarize(grid).mask;
    const cleaned = removeRulingLines(withLines, 60);
    expect(cleaned.removed).toBeGreaterThan(1000);
    // What is left is close to the page without lines (characters crossing a line lose only its rows).
    const ref = binarize(plain).mask;
    let inkRef = 0;
    let lost = 0;
    let extra = 0;
    for (let i = 0; i < ref.data.length; i++) {
      inkRef += ref.data[i]!;
      if (ref.data[i] && !cleaned.mask.data[i]) lost++;
      if (!ref.data[i] && cleaned.mask.data[i]) extra++;
    }
    expect(lost / inkRef).toBeLessThan(0.03);
    expect(extra / inkRef).toBeLessThan(0.03);
  });
});

describe('components', () => {
  it('labels 8-connected blobs with their boxes and areas', () => {
    const w = 10;
    const h = 6;
    const data = new Uint8Array(w * h);
    const set = (x: number, y: number) => (data[y * w + x] = 1);
    // A diagonal (8-connected: one component), a 2x2 square, a lone pixel.
    set(0, 0); set(1, 1); set(2, 2);
    set(5, 1); set(6, 1); set(5, 2); set(6, 2);
    set(9, 5);
    const lab = connectedComponents({ data, width: w, height: h });
    const boxes = lab.components.map((c) => [c.x0, c.y0, c.x1, c.y1, c.area]).sort((a, b) => a[0]! - b[0]!);
    expect(boxes).toEqual([
      [0, 0, 3, 3, 3],
      [5, 1, 7, 3, 4],
      [9, 5, 10, 6, 1],
    ]);
    expect(lab.labels[1 * w + 1]).toBe(lab.labels[0]);
  });

  it('joins a U-shape whose arms meet only at the bottom (union of provisional labels)', () => {
    const w = 5;
    const h = 4;
    const rows = ['1...1', '1...1', '1...1', '11111'];
    const data = Uint8Array.from(rows.join('').split('').map((c) => (c === '1' ? 1 : 0)));
    expect(connectedComponents({ data, width: w, height: h }).components).toHaveLength(1);
  });
});

describe('layout of a rendered page', () => {
  let cases: { name: string; page: RenderedPage; degrees: number; grid: boolean }[];
  beforeAll(() => {
    cases = [
      { name: 'straight', page: pageSvg({ lines: TEXT }), degrees: 0, grid: false },
      { name: 'rotated 3° with a grid', page: pageSvg({ lines: TEXT, grid: true }), degrees: 3, grid: true },
      { name: 'rotated -2° with underlines', page: pageSvg({ lines: TEXT, underline: true }), degrees: -2, grid: false },
    ];
  });

  it('finds every character once, in reading order, with spaces between words', async () => {
    for (const c of cases) {
      const p = await pageOf(await renderPng(c.page, c.degrees));
      const layout = layoutPage(p, DEFAULT_SETTINGS, false);
      const cells = expectedCentres(c.page, p.width, p.height);
      const order = matchOrder(layout, cells, c.page.fontSize * 0.45);
      expect(order, c.name).toEqual(cells.map((_, i) => i));
      expect(layout.lines.map((l) => l.glyphs.length), c.name).toEqual(TEXT.map((t) => t.replace(/ /g, '').length));
      // Spaces: the positions of the blanks in the source text.
      const spaces = layout.lines.map((l) => l.spaceBefore.map((s, i) => (s ? i : -1)).filter((i) => i >= 0));
      const want = TEXT.map((t) => {
        const out: number[] = [];
        let k = 0;
        for (let i = 0; i < t.length; i++) {
          if (t[i] === ' ') out.push(k);
          else k++;
        }
        return out;
      });
      expect(spaces, c.name).toEqual(want);
    }
  });

  it('lattice: cuts touching characters where they meet and merges a character broken in two', async () => {
    // "HH" drawn with overlapping boxes (negative letter spacing) touch; an "E" is cut by a white bar.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120"><rect width="100%" height="100%" fill="white"/>
      <g font-family="DejaVu Sans" font-size="60" font-weight="bold" fill="black">
        <text x="20" y="80" letter-spacing="-6">HNH</text>
        <text x="250" y="80">E</text>
        <text x="310" y="80">T</text>
      </g><rect x="240" y="55" width="50" height="3" fill="white"/></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const p = await pageOf(png);
    const layout = layoutPage(p, DEFAULT_SETTINGS, false);
    expect(layout.lines).toHaveLength(1);
    const boxes = layout.lines[0]!.glyphs.map((g) => [g.x0, g.x1]);
    expect(boxes).toHaveLength(5);
    // The broken E is one glyph spanning its full height.
    const e = layout.lines[0]!.glyphs[3]!;
    expect(e.y1 - e.y0).toBeGreaterThan(40);
  });

  it('keeps the line with the tallest characters with mainLine', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="200"><rect width="100%" height="100%" fill="white"/>
      <g font-family="DejaVu Sans" fill="black"><text x="120" y="30" font-size="20">STATE</text>
      <text x="40" y="120" font-size="70">AB 123</text><text x="100" y="170" font-size="18">MOTTO LINE</text></g></svg>`;
    const p = await pageOf(await sharp(Buffer.from(svg)).png().toBuffer());
    const all = layoutPage(p, DEFAULT_SETTINGS, false);
    expect(all.lines).toHaveLength(3);
    const main = layoutPage(p, DEFAULT_SETTINGS, true);
    expect(main.lines).toHaveLength(1);
    expect(main.lines[0]!.glyphs).toHaveLength(5);
  });
});
