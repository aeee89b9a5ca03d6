import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Labeling } from '../../../../main/core/ocr/components';
import { layoutPage } from '../../../../main/core/ocr/layout';
import { loadPages } from '../../../../main/core/ocr/load-pages';
import { buildLattice } from '../../../../main/core/ocr/reader/lattice';
import { pageSlant } from '../../../../main/core/ocr/reader/slant';
import { clipRow, type Glyph } from '../../../../main/core/ocr/segment';
import { DEFAULT_SETTINGS } from '../../../../main/core/ocr/types';

/** A line of text drawn slanted by `degrees` (skewX: the tops lean right), upright when 0. */
async function layoutOf(text: string, degrees: number, spacing = 0) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="120"><rect width="100%" height="100%" fill="white"/>
    <g transform="translate(60 85) skewX(${-degrees})" font-family="DejaVu Sans" font-size="56" fill="black">
      <text x="0" y="0" letter-spacing="${spacing}">${text}</text></g></svg>`;
  const [page] = await loadPages(await sharp(Buffer.from(svg)).png().toBuffer(), 'slant.png');
  return layoutPage(page!, { ...DEFAULT_SETTINGS, deskew: false }, false);
}

/** The page pixels a glyph takes (its components' pixels inside its clip). */
function pixels(g: Glyph, lab: Labeling): Set<number> {
  const out = new Set<number>();
  const set = new Set(g.labels);
  for (let y = g.y0; y < g.y1; y++) {
    const [from, to] = clipRow(g, y);
    for (let x = from; x < to; x++) if (set.has(lab.labels[y * lab.width + x]!)) out.add(y * lab.width + x);
  }
  return out;
}

describe('slanted lines', () => {
  it('finds the slant of italic-like text and none on upright text', async () => {
    const slanted = await layoutOf('HIM NEXT', 15);
    expect(pageSlant(slanted.lines, slanted.lab)).toBeCloseTo(Math.tan((15 * Math.PI) / 180), 1);
    const upright = await layoutOf('HIM NEXT', 0);
    expect(pageSlant(upright.lines, upright.lab)).toBe(0);
  });

  it('a page votes: a line of diagonal letters among upright ones does not make the page slanted', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="260"><rect width="100%" height="100%" fill="white"/>
      <g font-family="FreeSerif, DejaVu Serif" font-size="44" fill="black">
        <text x="20" y="60">779 WAVY WAX WAY</text><text x="20" y="140">HELD DENIM 1204</text><text x="20" y="220">BLITHE PIN HUNT</text></g></svg>`;
    const [page] = await loadPages(await sharp(Buffer.from(svg)).png().toBuffer(), 'page.png');
    const layout = layoutPage(page!, { ...DEFAULT_SETTINGS, deskew: false }, false);
    expect(layout.lines).toHaveLength(3);
    expect(pageSlant(layout.lines, layout.lab)).toBe(0);
  });

  it('cuts two slanted letters touching along a stroke along the slant: one candidate is the M alone', async () => {
    const both = await layoutOf('ME', 15, -10);
    expect(both.lines[0]!.glyphs).toHaveLength(1); // M and E touch: one component
    const alone = await layoutOf('M', 15);
    const m = pixels(alone.lines[0]!.glyphs[0]!, alone.lab);
    const lattice = buildLattice(both.lines[0]!, both.lab, undefined, () => pageSlant(both.lines, both.lab));
    // The best candidate for the M: the one whose pixels overlap the M drawn alone most (intersection over union).
    const iou = Math.max(
      ...lattice.edges.map((e) => {
        const p = pixels(e.glyph, both.lab);
        let inter = 0;
        for (const k of p) if (m.has(k)) inter++;
        return inter / (p.size + m.size - inter);
      }),
    );
    expect(iou).toBeGreaterThan(0.9);
  });
});
