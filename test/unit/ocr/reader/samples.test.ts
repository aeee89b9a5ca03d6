import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPages } from '../../../../main/core/ocr/load-pages';
import { classifierFor, ocrModelDir } from '../../../../main/core/ocr/model';
import { recognize } from '../../../../main/core/ocr/recognize';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../resources/samples');

async function read(name: string, profile: 'text' | 'grid' = 'text'): Promise<string[]> {
  const { classifier } = await classifierFor(ocrModelDir(null));
  const [page] = await loadPages(path.join(SAMPLES, name));
  return (await recognize(page!, classifier, { profile })).text.split('\n');
}

const truth = (name: string) => fs.readFileSync(path.join(SAMPLES, name.replace(/\.png$/, '.txt')), 'utf8').trim().split('\n');

/** The bundled sample pages, read end to end with the bundled model and the shipped language model. */
describe('sample pages', () => {
  it('reads the skewed serif page exactly (ROOM, FLOOR, DAILY: no R00M or DA1LY)', async () => {
    expect(await read('printed-serif-skewed.png')).toEqual(truth('printed-serif-skewed.png'));
  });

  it('reads the DejaVu page exactly (INVOICE 2041, not 1NVO1CE 2O41; BY JUNE: the J’s hook narrows the space)', async () => {
    expect(await read('printed-dejavu.png')).toEqual(truth('printed-dejavu.png'));
  });

  it('reads the slanted handwriting-style page exactly (MEET: the M and E that touch along a slanted stroke are cut along the slant)', async () => {
    expect(await read('handwriting-style.png')).toEqual(truth('handwriting-style.png'));
  });

  it('reads the form grid cell by cell with the grid profile', async () => {
    const rows = await read('form-grid.png', 'grid');
    expect(rows).toHaveLength(9);
    // The truth lists each row's digits without the empty cells.
    expect(rows.map((r) => r.replace(/\./g, ''))).toEqual(truth('form-grid.png'));
  });
});
