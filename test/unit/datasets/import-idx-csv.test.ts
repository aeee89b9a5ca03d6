import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../main/common/contract';
import { transpose } from '../../../main/core/imaging/glyph';
import { decodeGrayPng } from '../../../main/core/imaging/png';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, csvHeader, tile, waitJob, writeCsv, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => {
  t = tmpCore();
});
afterEach(async () => {
  await t.close();
});

const imp = (params: Input<'dataset.import'>) => waitJob<Summary>(t.core, () => t.call('dataset.import', params));

async function allSamples() {
  const q = await t.call('dataset.query', { sort: 'oldest', limit: 2000, thumbs: false });
  return Promise.all(q.rows.map((r) => t.call('dataset.sample', { id: r.id })));
}

describe('IDX import', () => {
  it('reads gzipped images + labels with mapping.txt, keeps pixels exactly, and dedupes a re-import', async () => {
    const imgs = [0, 1, 2, 3, 4].map((i) => tile(i));
    const f = writeIdx(path.join(t.dir, 'in'), 'train', imgs, [10, 11, 35, 0, 10], { gz: true });
    fs.writeFileSync(path.join(t.dir, 'in', 'mapping.txt'), '0 48\n10 65\n11 66\n35 90\n');
    const s = await imp({ paths: [f.images] });
    expect(s).toMatchObject({ imported: 5, duplicates: 0, errors: [] });
    const samples = await allSamples();
    expect(samples.map((x) => x.label)).toEqual(['A', 'B', 'Z', '0', 'A']);
    for (let i = 0; i < 5; i++) {
      const d = decodeGrayPng(Buffer.from(samples[i]!.image, 'base64'));
      expect([d.width, d.height]).toEqual([28, 28]);
      expect(Buffer.from(d.px).equals(Buffer.from(imgs[i]!))).toBe(true);
      expect(samples[i]!.source).toMatch(new RegExp(`train-images-idx3-ubyte\\.gz#${i}$`));
    }
    const again = await imp({ paths: [f.images] });
    expect(again).toMatchObject({ imported: 0, duplicates: 5 });
    expect((await t.call('dataset.stats', {})).total).toBe(5);
  });

  it('maps labels by class-set index without mapping.txt, and transposes when asked', async () => {
    const imgs = [tile(7), tile(8)];
    const f = writeIdx(path.join(t.dir, 'mnist'), 't10k', imgs, [3, 12]);
    const s = await imp({ paths: [path.join(t.dir, 'mnist')], format: 'idx', transposed: true });
    expect(s.imported).toBe(2);
    const samples = await allSamples();
    expect(samples.map((x) => x.label)).toEqual(['3', 'C']);
    const d = decodeGrayPng(Buffer.from(samples[0]!.image, 'base64'));
    expect(Buffer.from(d.px).equals(Buffer.from(transpose(imgs[0]!, 28, 28)))).toBe(true);
    expect(f.labels).not.toBeNull();
  });

  it('imports images without a labels file as unlabeled', async () => {
    const f = writeIdx(path.join(t.dir, 'nolabels'), 'x', [tile(1), tile(2)], null);
    const s = await imp({ paths: [f.images] });
    expect(s.imported).toBe(2);
    expect((await t.call('dataset.stats', {})).unlabeled).toBe(2);
  });

  it('reports a wrong magic, counts that disagree and files cut short, and imports the rest', async () => {
    const dir = path.join(t.dir, 'bad');
    const wrong = writeIdx(path.join(dir, 'a'), 'wrong', [tile(1)], [1], { magic: 0x801 });
    const mismatch = writeIdx(path.join(dir, 'b'), 'mismatch', [tile(2), tile(3)], [1, 2, 3]);
    const cut = writeIdx(path.join(dir, 'c'), 'cut', [tile(4), tile(5), tile(6)], [1, 2, 3], { cutImageBytes: 100 });
    const good = writeIdx(path.join(dir, 'd'), 'good', [tile(9)], [9]);
    const s = await imp({ paths: [wrong.images, mismatch.images, cut.images, good.images], format: 'idx' });
    expect(s.imported).toBe(3); // 2 complete from `cut`, 1 from `good`
    const byFile = (name: string) => s.errors.find((e) => e.file.includes(name));
    expect(byFile('wrong-images')?.reason).toMatch(/wrong magic number 0x00000801/);
    expect(byFile('mismatch-images')?.reason).toMatch(/2 images but .* 3 labels/);
    expect(byFile('cut-images')?.reason).toMatch(/cut short: holds 2 of 3 images/);
    expect(s.errors).toHaveLength(3);
  });

  it('stops gzip bombs: checks the header first and never unpacks beyond what it announces', async () => {
    const dir = path.join(t.dir, 'bombs');
    fs.mkdirSync(dir);
    const zeros = path.join(dir, 'zeros-images-idx3-ubyte.gz');
    fs.writeFileSync(zeros, zlib.gzipSync(Buffer.alloc(20 << 20)));
    const head = Buffer.alloc(16);
    head.writeUInt32BE(0x803, 0);
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(28, 8);
    head.writeUInt32BE(28, 12);
    const long = path.join(dir, 'long-images-idx3-ubyte.gz');
    fs.writeFileSync(long, zlib.gzipSync(Buffer.concat([head, Buffer.alloc(20 << 20)])));
    const huge = Buffer.from(head);
    huge.writeUInt32BE(4_000_000, 4);
    huge.writeUInt32BE(1000, 8);
    const claims = path.join(dir, 'huge-images-idx3-ubyte.gz');
    fs.writeFileSync(claims, zlib.gzipSync(huge));
    const s = await imp({ paths: [zeros, long, claims] });
    expect(s.imported).toBe(0);
    expect(s.errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/wrong magic number 0x00000000/),
      expect.stringMatching(/unpacks to more than the 1584 bytes its header announces/),
      expect.stringMatching(/more than glyphlab reads/),
    ]);
  });

  it('reports labels outside the class set per item and keeps the rest', async () => {
    await t.call('dataset.setClasses', { classes: '0123456789' });
    const f = writeIdx(path.join(t.dir, 'cls'), 'x', [tile(1), tile(2), tile(3)], [1, 15, 2]);
    const s = await imp({ paths: [f.images] });
    expect(s.imported).toBe(2);
    expect(s.errors).toEqual([{ file: expect.stringMatching(/x-images-idx3-ubyte#1$/), reason: expect.stringMatching(/label 15 has no class/) }]);
  });
});

describe('CSV import', () => {
  const px = (seed: number) => Array.from(tile(seed));

  it('reads Kaggle A-Z rows (0-25 = A-Z) with and without a header', async () => {
    const a = writeCsv(path.join(t.dir, 'A_Z Handwritten Data.csv'), [
      { label: 0, px: px(1) },
      { label: 25, px: px(2) },
    ]);
    const b = writeCsv(path.join(t.dir, 'kaggle', 'a_z handwritten.csv'), [{ label: 7, px: px(3) }], csvHeader('label'));
    const s = await imp({ paths: [a, b] });
    expect(s).toMatchObject({ imported: 3, errors: [] });
    expect((await allSamples()).map((x) => x.label)).toEqual(['A', 'Z', 'H']);
  });

  it('maps numeric labels by class-set index (MNIST CSV) and reads character labels', async () => {
    const a = writeCsv(path.join(t.dir, 'mnist_train.csv'), [{ label: 4, px: px(1) }, { label: 11, px: px(2) }]);
    const b = writeCsv(path.join(t.dir, 'chars.csv'), [{ label: 'Q', px: px(3) }, { label: '7', px: px(4) }], csvHeader('char'));
    const s = await imp({ paths: [a, b], format: 'csv' });
    expect(s.imported).toBe(4);
    expect((await allSamples()).map((x) => x.label)).toEqual(['4', 'B', 'Q', '7']);
  });

  it('reports missing columns, non-numeric and out-of-range values and bad labels by row, and imports the rest', async () => {
    const bad = [...px(5)] as (number | string)[];
    bad[100] = 'x';
    const big = [...px(6)];
    big[5] = 300;
    const f = writeCsv(path.join(t.dir, 'mixed.csv'), [
      { label: 1, px: px(1) },
      { label: 2, px: px(2).slice(0, 700) },
      { label: 3, px: bad as string[] },
      { label: 4, px: big },
      { label: 99, px: px(7) },
      { label: 'a', px: px(8) },
      { label: 5, px: px(9) },
    ]);
    const s = await imp({ paths: [f] });
    expect(s.imported).toBe(2);
    const reasons = s.errors.map((e) => `${e.file.split('/').pop()} ${e.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^mixed\.csv:2 row 2: expected 784 pixel values after the label, found 700/),
      expect.stringMatching(/^mixed\.csv:3 row 3, column 102: 'x' is not a number/),
      expect.stringMatching(/^mixed\.csv:4 row 4, column 7: 300 is outside 0-255/),
      expect.stringMatching(/^mixed\.csv:5 row 5: label 99 has no class/),
      expect.stringMatching(/^mixed\.csv:6 row 6: label 'a' is not in the class set/),
    ]);
  });

  it('reports an empty CSV and one without a pixel grid', async () => {
    const empty = path.join(t.dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const odd = writeCsv(path.join(t.dir, 'odd.csv'), [{ label: 1, px: [1, 2, 3] }]);
    const s = await imp({ paths: [empty, odd] });
    expect(s.imported).toBe(0);
    expect(s.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/empty file/), expect.stringMatching(/square number of pixel values/)]);
  });
});
