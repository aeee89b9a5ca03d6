import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeClassification } from '../../../main/core/ml/inference/classification';
import { loadPages } from '../../../main/core/ocr/load-pages';
import { recognize } from '../../../main/core/ocr/recognize';
import { sudokuDigits } from '../../../main/core/ocr/reader/sudoku';
import type { OcrClassifier } from '../../../main/core/ocr/types';
import { templateClassifier } from './fixtures';
import { plainGridSvg, ROWS } from './grid-fixture';

/** Probabilities over the digits 1..9: `p` on `d`, the rest spread over `others` (digit → share). */
const digitProbs = (d: number, p: number, others: Record<number, number> = {}) => {
  const out = new Array<number>(9).fill(1e-4);
  out[d - 1] = p;
  for (const [k, v] of Object.entries(others)) out[Number(k) - 1] = v;
  return out;
};

describe('sudokuDigits', () => {
  it('moves the less sure of two clashing readings to its next digit', () => {
    // Row 0: a sure 6 and a cell read 6 (0.6) or 8 (0.4); each cell alone would read 6 twice.
    const cells = [
      { row: 0, col: 0, probs: digitProbs(6, 0.99) },
      { row: 0, col: 5, probs: digitProbs(6, 0.6, { 8: 0.4 }) },
      { row: 4, col: 5, probs: digitProbs(3, 0.9) },
    ];
    expect(sudokuDigits(cells)).toEqual([6, 8, 3]);
    // The same clash in a column and in a 3×3 box.
    expect(sudokuDigits([{ row: 0, col: 2, probs: digitProbs(6, 0.99) }, { row: 7, col: 2, probs: digitProbs(6, 0.6, { 8: 0.4 }) }])).toEqual([6, 8]);
    expect(sudokuDigits([{ row: 3, col: 3, probs: digitProbs(6, 0.99) }, { row: 5, col: 5, probs: digitProbs(6, 0.6, { 8: 0.4 }) }])).toEqual([6, 8]);
    // Cells in different rows, columns and boxes may hold the same digit.
    expect(sudokuDigits([{ row: 0, col: 0, probs: digitProbs(6, 0.99) }, { row: 4, col: 4, probs: digitProbs(6, 0.6, { 8: 0.4 }) }])).toEqual([6, 6]);
  });

  it('trusts two very sure readings that clash (a wrong entry in pen is what the page says)', () => {
    const cells = [
      { row: 2, col: 1, probs: digitProbs(4, 0.99999) },
      { row: 2, col: 7, probs: digitProbs(4, 0.99999) },
    ];
    expect(sudokuDigits(cells)).toEqual([4, 4]);
  });

  it('finds the best joint reading when the greedy one is worse (a chain of clashes)', () => {
    // A: 1 (0.55), 2 (0.44) or 5; B, in A's row: 1 (0.9) or 3 (0.1); C, in A's column: 2 (0.99).
    // Surest first, C = 2 and B = 1 leave A only its 5 (log-probability -4.7); the best is B = 3, A = 1, C = 2 (-2.9).
    const cells = [
      { row: 0, col: 0, probs: digitProbs(1, 0.55, { 2: 0.44, 5: 0.01 }) },
      { row: 0, col: 8, probs: digitProbs(1, 0.9, { 3: 0.1 }) },
      { row: 8, col: 0, probs: digitProbs(2, 0.99, { 9: 0.01 }) },
    ];
    expect(sudokuDigits(cells)).toEqual([1, 3, 2]);
  });
});

/**
 * A classifier that reads the drawn digits with templates but blurs every 8 the way small photographed
 * 8s are misread: mostly 0, then 6, the 8 itself least likely.
 */
async function blurredEights(classes = '0123456789'): Promise<OcrClassifier> {
  const base = await templateClassifier('DejaVu Sans Mono', 28, classes);
  const nc = classes.length;
  return {
    ...base,
    async classify(pixels: Float32Array, n: number) {
      const { probs } = await base.classify(pixels, n);
      for (let i = 0; i < n; i++) {
        const row = probs.subarray(i * nc, (i + 1) * nc);
        if (row.indexOf(Math.max(...row)) !== classes.indexOf('8')) continue;
        row.fill(0.001);
        row[classes.indexOf('0')] = 0.5;
        row[classes.indexOf('6')] = 0.3;
        row[classes.indexOf('8')] = 0.19;
      }
      return makeClassification(probs, classes);
    },
  };
}

async function pageOf(svg: string) {
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).rotate(2, { background: '#fff' }).png().toBuffer();
  return (await loadPages(png, 'grid.png'))[0]!;
}

describe('grid profile on a sudoku', () => {
  it('reads a drawn sudoku whose 8s look most like 0 and then 6: never 0, and the 6 each 8 would repeat is refused', async () => {
    // Every 8 of ROWS shares a row, column or box with a 6.
    const r = await recognize(await pageOf(plainGridSvg(ROWS)), await blurredEights(), { profile: 'grid' });
    expect(r.text).not.toMatch(/0/);
    expect(r.text.split('\n')).toEqual(ROWS.map((row) => row.replace(/0/g, '.')));
    // The joint reading is first among the alternatives, and the cell's own likelier ones follow.
    const eight = r.lines[2]!.chars.find((c) => c.char === '8')!;
    expect(eight.alternatives[0]!.char).toBe('8');
    expect(eight.alternatives.map((a) => a.char)).toContain('6');
  });

  it('reads a grid of letters with repeats as it stands (not a sudoku)', async () => {
    const rows = ['ANNAX', 'BEE.B', 'LLAMA', 'KEYEK'];
    const cls = await templateClassifier('DejaVu Sans Mono', 28, 'ABEKLMNXY');
    const r = await recognize(await pageOf(plainGridSvg(rows)), cls, { profile: 'grid' });
    expect(r.text.split('\n')).toEqual(rows);
  });

  it('reads a 9 × 9 grid of letters as letters, repeats kept', async () => {
    const rows = ['AABBAABBA', 'B.......B', 'NNNNNNNNN', 'A.......A', 'XXXX.XXXX', 'B.......B', 'MMMMMMMMM', 'A.......A', 'KKKKKKKKK'];
    const cls = await templateClassifier('DejaVu Sans Mono', 28, '0123456789ABKMNX');
    const r = await recognize(await pageOf(plainGridSvg(rows)), cls, { profile: 'grid' });
    expect(r.text.split('\n')).toEqual(rows);
  });
});
