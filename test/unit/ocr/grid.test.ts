import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { homography } from '../../../main/core/ocr/grid';
import { cellsAcross, latticeAlong, squareUp } from '../../../main/core/ocr/grid-lines';
import { recognize } from '../../../main/core/ocr/recognize';
import { spaceThreshold } from '../../../main/core/ocr/order';
import { templateClassifier } from './fixtures';

describe('grid reading (sudoku benchmark)', () => {
  it('homography maps the four points it was built from', () => {
    const from: [number, number][] = [[10, 12], [300, 30], [280, 310], [5, 290]];
    const to: [number, number][] = [[0, 0], [359, 0], [359, 359], [0, 359]];
    const H = homography(from, to);
    for (let i = 0; i < 4; i++) {
      const [x, y] = from[i]!;
      const z = H[6]! * x + H[7]! * y + 1;
      expect((H[0]! * x + H[1]! * y + H[2]!) / z).toBeCloseTo(to[i]![0], 6);
      expect((H[3]! * x + H[4]! * y + H[5]!) / z).toBeCloseTo(to[i]![1], 6);
    }
  });

  it('finds a photographed-like grid (rotated, in perspective) and its filled cells', async () => {
    const rows = ['500070000', '600195000', '098000060', '800060003', '400803001', '700020006', '060000280', '000419005', '000080079'];
    const cell = 36;
    const parts: string[] = [];
    for (let i = 0; i <= 9; i++) {
      const w = i % 3 === 0 ? 3 : 1;
      parts.push(`<rect x="30" y="${30 + i * cell}" width="${9 * cell}" height="${w}"/><rect x="${30 + i * cell}" y="30" width="${w}" height="${9 * cell}"/>`);
    }
    rows.forEach((r, ri) => [...r].forEach((d, ci) => d !== '0' && parts.push(`<text x="${30 + ci * cell + 11}" y="${30 + ri * cell + 28}">${d}</text>`)));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="100%" height="100%" fill="white"/><g font-family="DejaVu Sans Mono" font-size="26">${parts.join('')}</g></svg>`;
    // Rotate a little and squeeze one side (an affine stand-in for a phone's perspective).
    const png = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).rotate(4, { background: '#fff' }).affine([1, 0.05, 0, 0.95], { background: '#fff' }).png().toBuffer();
    const [page] = await loadPages(png, 'grid.png');
    const cls = await templateClassifier('DejaVu Sans Mono', 28, '123456789');
    // The grid profile: rows in order, one character or '.' per cell.
    const r = await recognize(page!, cls, { profile: 'grid' });
    expect(r.profile).toBe('grid');
    expect(r.text.split('\n')).toEqual(rows.map((row) => row.replace(/0/g, '.')));
    // Each filled cell's box lies on the page where its digit was drawn (inside the grid's extent).
    for (const line of r.lines) for (const c of line.chars) expect(c.box[0] >= 0 && c.box[1] >= 0 && c.box[0] + c.box[2] <= page!.width).toBe(true);
    expect(r.lines.flatMap((l) => l.chars)).toHaveLength(rows.join('').replace(/0/g, '').length);
  });
});

describe('latticeAlong', () => {
  /** A straightened grid's profile: outer lines at both ends, thick lines every third cell, thin ones (of `thin` height) a little off their places, paper that darkens towards one end, rows of characters. */
  const profile = (thin: number) => {
    const prof = new Float64Array(452).map((_, i) => 10 + i / 20);
    for (let i = 0; i <= 9; i++) {
      const at = Math.min(449, i * 50 + (i % 3 ? 3 : 0));
      for (let k = 0; k < 3; k++) prof[at + k] = prof[at + k]! + (i % 3 === 0 ? 100 : thin);
    }
    for (let i = 0; i < 9; i++) for (let k = 15; k < 35; k++) prof[i * 50 + k] = prof[i * 50 + k]! + 12;
    return prof;
  };

  it('counts cells from ruling lines, thick and faint thin ones alike, not from characters between them', () => {
    expect(latticeAlong(profile(25))).toEqual({ from: 0, to: 451, n: 9 });
    // Without thin lines only the thick ones count; a flat profile has no lines.
    expect(latticeAlong(profile(0))!.n).toBe(3);
    expect(latticeAlong(new Float64Array(100))).toBeNull();
  });

  it('counts the rows of a grid on bent paper, whose lines wander more than an eighth of a cell', () => {
    // 9 × 9 cells of 50 px; horizontal lines bow by up to 9 px across the width (thick every third), more than an eighth of a cell.
    const W = 452;
    const data = new Uint8Array(W * W).fill(230);
    for (let i = 0; i <= 9; i++) {
      for (let x = 0; x < W; x++) {
        const y0 = Math.min(W - 3, Math.round(i * 50 + 9 * Math.sin((Math.PI * x) / W) * (i > 0 && i < 9 ? 1 : 0)));
        for (let t = 0; t < (i % 3 === 0 ? 3 : 2); t++) data[(y0 + t) * W + x] = i % 3 === 0 ? 20 : 120;
        for (let t = 0; t < (i % 3 === 0 ? 3 : 1); t++) data[x * W + Math.min(W - 3, i * 50) + t] = i % 3 === 0 ? 20 : 120;
      }
    }
    expect(cellsAcross({ data, width: W, height: W }, true)!.n).toBe(9);
    expect(cellsAcross({ data, width: W, height: W }, false)!.n).toBe(9);
  });
});

describe('spaceThreshold', () => {
  it('splits letter gaps from word gaps when they separate clearly, else uses the height rule', () => {
    const t = spaceThreshold([3, 4, 3, 5, 14, 4, 3, 15, 4], 30);
    expect(t).toBeGreaterThan(5);
    expect(t).toBeLessThan(14);
    // A plate: no word gaps, small variation: nothing is a space.
    expect(spaceThreshold([4, 6, 5, 7, 5], 60)).toBeGreaterThan(7);
    // One gap only: the fallback (0.6 × height).
    expect(spaceThreshold([10], 20)).toBe(12);
  });
});

describe('squareUp', () => {
  const axis = (n: number, votes: [number, number][]) => ({ n, votes: new Map(votes) });

  it('makes a bent grid square when strips of the short axis saw the other count', () => {
    // Rows counted 4 on the median profile, two strips saw 9 rows; the columns 9.
    expect(squareUp(axis(4, [[4, 4], [3, 3], [9, 2]]), axis(9, [[9, 5], [3, 4]]))).toEqual([9, 9]);
    expect(squareUp(axis(9, [[9, 9]]), axis(3, [[3, 5], [9, 4]]))).toEqual([9, 9]);
  });

  it('keeps a grid that is not square (one strip is not enough)', () => {
    expect(squareUp(axis(4, [[4, 9]]), axis(5, [[5, 9]]))).toEqual([4, 5]);
    expect(squareUp(axis(8, [[8, 7], [5, 1]]), axis(5, [[5, 8], [8, 1]]))).toEqual([8, 5]);
  });
});
