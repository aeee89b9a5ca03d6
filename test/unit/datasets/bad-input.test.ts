/**
 * Bad input, format by format: each bad file is reported by name with its reason, the good files of the
 * same import go in, and what was stored before is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../main/common/contract';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, csvHeader, inkImage, tile, waitJob, writeCsv, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
let before: string;
beforeEach(async () => {
  t = tmpCore();
  // Something stored already: 3 labeled samples, one relabeled (history) — none of it may change.
  const f = writeIdx(path.join(t.dir, 'stored'), 'stored', [tile(900), tile(901), tile(902)], [10, 11, 12]);
  await imp({ paths: [f.images] });
  const { ids } = await t.call('dataset.ids', { sort: 'oldest' });
  await t.call('dataset.relabel', { ids: [ids[0]!], label: 'Z' });
  before = await snapshot();
  expect(JSON.parse(before).map((r: { label: string }) => r.label)).toEqual(['Z', 'B', 'C']);
});
afterEach(async () => {
  expect(await snapshot()).toBe(before); // the samples stored before, exactly as they were
  await t.close();
});

function imp(params: Input<'dataset.import'>): Promise<Summary> {
  return waitJob<Summary>(t.core, () => t.call('dataset.import', params));
}

/** The samples stored before this test's import: ids, labels, splits, images. */
async function snapshot(): Promise<string> {
  const q = await t.call('dataset.query', { sort: 'oldest', limit: 3, thumbs: true, filter: { source: 'stored-images' } });
  return JSON.stringify(q.rows);
}

const byName = (s: Summary) => Object.fromEntries(s.errors.map((e) => [path.basename(e.file.replace(/[#:]\d+$/, '')), e.reason]));

describe('bad input is reported by file and reason, the rest goes in, nothing stored is lost', () => {
  it('images: zero bytes, not an image, truncated JPEG and PNG, pixel bomb, oversized-dimension header', async () => {
    const dir = path.join(t.dir, 'img');
    const good = await inkImage(path.join(dir, 'good.png'), { seed: 1 });
    const jpeg = await inkImage(path.join(dir, 'whole.jpg'), { seed: 2, format: 'jpeg' });
    fs.writeFileSync(path.join(dir, 'zero.png'), '');
    fs.writeFileSync(path.join(dir, 'text.webp'), 'RIFF....WEBPnot really');
    fs.writeFileSync(path.join(dir, 'cut.jpg'), fs.readFileSync(jpeg).subarray(0, 300));
    fs.writeFileSync(path.join(dir, 'cut.png'), fs.readFileSync(good).subarray(0, 60));
    // A PNG header claiming 100000×100000 pixels (a pixel bomb: refused before decoding).
    const bomb = Buffer.from(fs.readFileSync(good));
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    fs.writeFileSync(path.join(dir, 'bomb.png'), bomb);
    const s = await imp({ paths: [dir], format: 'images', label: 'A' });
    expect(s.imported).toBe(2);
    const r = byName(s);
    expect(r['zero.png']).toMatch(/empty file/);
    expect(r['text.webp']).toMatch(/not an image|cannot decode|corrupt/);
    expect(r['cut.jpg']).toMatch(/truncated|corrupt/);
    expect(r['cut.png']).toMatch(/truncated|corrupt/);
    expect(r['bomb.png']).toMatch(/too large|pixel|corrupt|decode/i);
    expect(s.errors).toHaveLength(5);
  });

  it('IDX: empty file, not gzip, gzip cut short, labels with a wrong magic, malformed mapping.txt', async () => {
    const dir = path.join(t.dir, 'idx');
    const empty = path.join(dir, 'empty', 'e-images-idx3-ubyte');
    fs.mkdirSync(path.dirname(empty), { recursive: true });
    fs.writeFileSync(empty, '');
    const fake = path.join(dir, 'fake', 'f-images-idx3-ubyte.gz');
    fs.mkdirSync(path.dirname(fake), { recursive: true });
    fs.writeFileSync(fake, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not deflate data')]));
    // A gzip cut in the middle: the complete images before the cut are imported and the cut is reported.
    const whole = writeIdx(path.join(dir, 'cut'), 'c', Array.from({ length: 50 }, (_, i) => tile(i)), null, { gz: true });
    const gz = fs.readFileSync(whole.images);
    fs.writeFileSync(whole.images, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const badLabels = writeIdx(path.join(dir, 'lab'), 'l', [tile(60), tile(61)], [1, 2]);
    const lb = fs.readFileSync(badLabels.labels!);
    lb.writeUInt32BE(0x0802, 0);
    fs.writeFileSync(badLabels.labels!, lb);
    const mapped = writeIdx(path.join(dir, 'map'), 'm', [tile(70)], [1]);
    fs.writeFileSync(path.join(dir, 'map', 'mapping.txt'), '0 48\nthis line is wrong\n');
    const s = await imp({ paths: [empty, fake, whole.images, badLabels.images, mapped.images], format: 'idx' });
    const r = byName(s);
    expect(r['e-images-idx3-ubyte']).toMatch(/too short for an IDX header \(0 bytes\)/);
    expect(r['f-images-idx3-ubyte.gz']).toMatch(/not a valid gzip file/);
    expect(r['c-images-idx3-ubyte.gz']).toMatch(/cut short: holds \d+ of 50 images/);
    expect(r['l-labels-idx1-ubyte']).toMatch(/IDX labels: wrong magic number 0x00000802/);
    expect(r['mapping.txt']).toMatch(/mapping line 2: expected "label code"/);
    const cutHolds = Number(/holds (\d+) of 50/.exec(r['c-images-idx3-ubyte.gz']!)![1]);
    expect(cutHolds).toBeGreaterThan(0);
    expect(cutHolds).toBeLessThan(50);
    expect(s.imported).toBe(cutHolds);
  });

  it('CSV: binary garbage, header only, ragged rows, CRLF lines, and a malformed mapping.txt', async () => {
    const dir = path.join(t.dir, 'csv');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'garbage.csv'), zlib.gzipSync(Buffer.alloc(5000, 7)));
    fs.writeFileSync(path.join(dir, 'header.csv'), `${csvHeader('label')}\n`);
    const crlf = [`${csvHeader('char')}`, `Q,${Array.from(tile(80)).join(',')}`, `R,${Array.from(tile(81)).join(',')},5`].join('\r\n');
    fs.writeFileSync(path.join(dir, 'crlf.csv'), `${crlf}\r\n`);
    const mdir = path.join(dir, 'mapped');
    writeCsv(path.join(mdir, 'rows.csv'), [{ label: 1, px: tile(82) }]);
    fs.writeFileSync(path.join(mdir, 'mapping.txt'), 'x y\n');
    const s = await imp({ paths: [dir], format: 'csv' });
    const r = byName(s);
    expect(r['garbage.csv']).toMatch(/expected a label and a square number of pixel values/);
    expect(r['crlf.csv']).toMatch(/row 3: expected 784 pixel values after the label, found 785/);
    expect(r['mapping.txt']).toMatch(/mapping line 1/);
    expect(r['header.csv']).toBeUndefined(); // a header and no rows: a valid, empty file
    expect(s.imported).toBe(1); // Q from crlf.csv
    expect(s.errors).toHaveLength(3);
  });

  it('folder: class folders outside the class set and non-images are reported, the good ones kept', async () => {
    const root = path.join(t.dir, 'classes');
    await inkImage(path.join(root, 'K', 'k.png'), { seed: 4 });
    await inkImage(path.join(root, 'lower', 'x.png'), { seed: 5 });
    fs.writeFileSync(path.join(root, 'K', 'thumbs.jpg'), 'x');
    const s = await imp({ paths: [root], format: 'folder' });
    expect(s.imported).toBe(1);
    const r = byName(s);
    expect(r['x.png']).toMatch(/label 'lower' is not in the class set/);
    expect(r['thumbs.jpg']).toMatch(/not an image|corrupt|decode|truncated/);
    expect(s.errors).toHaveLength(2);
  });

  it('a path that does not exist is reported and the import goes on', async () => {
    const good = await inkImage(path.join(t.dir, 'ok', 'fine.png'), { seed: 6 });
    const s = await imp({ paths: [path.join(t.dir, 'missing.png'), good], label: 'F' });
    expect(s.imported).toBe(1);
    expect(s.errors).toEqual([{ file: path.join(t.dir, 'missing.png'), reason: 'no such file or folder' }]);
  });
});
