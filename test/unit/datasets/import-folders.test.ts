import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../main/common/contract';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, csvHeader, inkImage, tile, waitJob, writeCsv, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => {
  t = tmpCore();
});
afterEach(async () => {
  await t.close();
});

const imp = (params: Input<'dataset.import'>) => waitJob<Summary>(t.core, () => t.call('dataset.import', params));

/** A class-folder tree with IDX and CSV files and stray files inside class folders and at the top. */
async function tree(): Promise<string> {
  const root = path.join(t.dir, 'tree');
  await inkImage(path.join(root, 'A', 'a.png'), { seed: 1 });
  writeIdx(path.join(root, 'emnist'), 'x', [tile(1), tile(2), tile(3)], [11, 12, 13]);
  writeCsv(path.join(root, 'B', 'rows.csv'), [{ label: 'Q', px: Array.from(tile(4)) }, { label: 'R', px: Array.from(tile(5)) }], csvHeader('char'));
  fs.writeFileSync(path.join(root, 'B', 'readme.txt'), 'notes');
  fs.writeFileSync(path.join(root, 'notes.md'), '# notes');
  return root;
}

const reasons = (s: Summary) => Object.fromEntries(s.errors.map((e) => [path.relative(path.join(t.dir, 'tree'), e.file), e.reason]));

describe('folder import: files that are not images of the class', () => {
  it('auto: imports IDX and CSV files found in subfolders with their own labels, and reports every other skipped file', async () => {
    const s = await imp({ paths: [await tree()] });
    expect(s.imported).toBe(1 + 3 + 2);
    expect(reasons(s)).toEqual({
      [path.join('B', 'readme.txt')]: expect.stringMatching(/skipped: not an image, IDX or CSV file \(in class folder 'B'\)/),
      'notes.md': expect.stringMatching(/skipped: not an image, IDX or CSV file/),
    });
    const stats = await t.call('dataset.stats', {});
    expect(stats.byClass).toMatchObject({ A: 1, B: 1, C: 1, D: 1, Q: 1, R: 1 });
    expect(stats.byClass.emnist).toBeUndefined();
  });

  it('folder: reports IDX and CSV files inside class folders by name instead of skipping them silently', async () => {
    const s = await imp({ paths: [await tree()], format: 'folder' });
    expect(s.imported).toBe(1);
    const r = reasons(s);
    expect(r[path.join('emnist', 'x-images-idx3-ubyte')]).toMatch(/IDX file inside class folder 'emnist': not read with format "folder"/);
    expect(r[path.join('B', 'rows.csv')]).toMatch(/CSV file inside class folder 'B': not read with format "folder"/);
    expect(r[path.join('B', 'readme.txt')]).toMatch(/not an image/);
    expect(r['notes.md']).toMatch(/skipped: not an image/);
    // The labels file is taken as a would-be image of class 'emnist' (not a class) and reported: nothing is dropped unseen.
    expect(r[path.join('emnist', 'x-labels-idx1-ubyte')]).toMatch(/label 'emnist' is not in the class set/);
    expect(Object.keys(r)).toHaveLength(5);
  });

  it('idx / csv on a folder: reports the files the format does not read', async () => {
    const s = await imp({ paths: [await tree()], format: 'idx' });
    expect(s.imported).toBe(3);
    const r = reasons(s);
    expect(r[path.join('A', 'a.png')]).toMatch(/skipped: not an IDX images file \(format "idx"\)/);
    expect(r[path.join('B', 'rows.csv')]).toMatch(/skipped: not an IDX images file/);
    expect(r[path.join('emnist', 'x-labels-idx1-ubyte')]).toBeUndefined();
  });
});
