import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePages } from '../../../main/core/ocr/decode';
import { gridCells, homography } from '../../../main/core/ocr/grid';
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
    const [page] = await decodePages(png, 'grid.png');
    const cells = gridCells(page!, 9, 28)!;
    expect(cells).toHaveLength(81);
    const filled = cells.map((c) => (c.tile ? '1' : '0')).join('');
    expect(filled).toBe(rows.join('').replace(/[1-9]/g, '1'));
    const cls = await templateClassifier('DejaVu Sans Mono', 28, '123456789');
    const withInk = cells.filter((c) => c.tile);
    const batch = new Float32Array(withInk.length * 784);
    withInk.forEach((c, i) => c.tile!.forEach((v, k) => (batch[i * 784 + k] = v / 255)));
    const r = await cls.classify(batch, withInk.length);
    const read = withInk.map((_, i) => r.top(i, 1)[0]!.label).join('');
    expect(read).toBe(rows.join('').replace(/0/g, ''));
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
