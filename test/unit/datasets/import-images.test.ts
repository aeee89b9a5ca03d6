import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../main/common/contract';
import { inkBBox } from '../../../main/core/imaging/glyph';
import { decodeGrayPng } from '../../../main/core/imaging/png';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, inkImage, waitJob } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => {
  t = tmpCore();
});
afterEach(async () => {
  await t.close();
});

const imp = (params: Input<'dataset.import'>) => waitJob<Summary>(t.core, () => t.call('dataset.import', params));

/** A PNG header claiming 20000×20000, with a tiny valid IDAT: a few hundred bytes that would decode to 400 MP. */
function pixelBomb(): Buffer {
  const crc = (b: Buffer) => {
    const o = Buffer.alloc(4);
    o.writeUInt32BE(zlib.crc32(b));
    return o;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    return Buffer.concat([len, td, crc(td)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr[8] = 8;
  const rows = zlib.deflateSync(Buffer.alloc(20001 * 50));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

describe('image import', () => {
  it('reads PNG, JPEG, WebP and TIFF, makes canonical 28x28 tiles (white ink, EMNIST margin) and applies --label', async () => {
    const files = await Promise.all(
      (['png', 'jpeg', 'webp', 'tiff'] as const).map((format, i) => inkImage(path.join(t.dir, `c${i}.${format === 'jpeg' ? 'jpg' : format}`), { seed: i, format })),
    );
    const s = await imp({ paths: files, label: 'K' });
    expect(s).toMatchObject({ imported: 4, duplicates: 0, errors: [] });
    const q = await t.call('dataset.query', { sort: 'oldest', thumbs: true });
    expect(q.rows.map((r) => r.label)).toEqual(['K', 'K', 'K', 'K']);
    for (const r of q.rows) {
      const d = decodeGrayPng(Buffer.from(r.thumb!, 'base64'));
      expect([d.width, d.height]).toEqual([28, 28]);
      expect(d.px[0]).toBe(0); // background black after inversion
      const box = inkBBox(d.px, 28, 28, 127)!;
      expect(box.y1 - box.y0).toBe(20); // tall glyph: longer side fills 20 of 28
    }
  });

  it('reads class folders (Keras layout), reports files of a folder outside the class set and unreadable files, and goes on', async () => {
    const root = path.join(t.dir, 'classes');
    await inkImage(path.join(root, 'A', 'one.png'), { seed: 1 });
    await inkImage(path.join(root, 'A', 'sub', 'two.png'), { seed: 2 });
    await inkImage(path.join(root, '7', 'three.png'), { seed: 3 });
    await inkImage(path.join(root, 'ab', 'four.png'), { seed: 4 });
    fs.writeFileSync(path.join(root, 'A', 'notes.png'), 'this is text, not a picture');
    fs.writeFileSync(path.join(root, '7', 'empty.png'), '');
    const good = fs.readFileSync(path.join(root, 'A', 'one.png'));
    fs.writeFileSync(path.join(root, '7', 'cut.png'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(root, '7', 'bomb.png'), pixelBomb());
    const s = await imp({ paths: [root], format: 'folder' });
    expect(s.imported).toBe(3);
    const reason = (name: string) => s.errors.find((e) => e.file.endsWith(name))?.reason;
    expect(reason('ab/four.png')).toMatch(/label 'ab' is not in the class set/);
    expect(reason('notes.png')).toMatch(/not an image/);
    expect(reason('empty.png')).toMatch(/empty file/);
    expect(reason('cut.png')).toMatch(/truncated|corrupt|decode/);
    expect(reason('bomb.png')).toMatch(/too large|pixel/i);
    expect(s.errors).toHaveLength(5);
    const stats = await t.call('dataset.stats', {});
    expect(stats.byClass.A).toBe(2);
    expect(stats.byClass['7']).toBe(1);
  });

  it('auto-detects a folder holding class folders and loose files', async () => {
    const root = path.join(t.dir, 'mixed');
    await inkImage(path.join(root, 'B', 'x.png'), { seed: 5 });
    await inkImage(path.join(root, 'loose.png'), { seed: 6 });
    const s = await imp({ paths: [root] });
    expect(s.imported).toBe(2);
    const stats = await t.call('dataset.stats', {});
    expect(stats.byClass.B).toBe(1);
    expect(stats.unlabeled).toBe(1);
  });

  it('assigns the split from the content hash (stable across databases) unless the import sets it', async () => {
    const files = await Promise.all(Array.from({ length: 30 }, (_, i) => inkImage(path.join(t.dir, 'many', `${i}.png`), { seed: i * 13, width: 40 + i, height: 90 })));
    await imp({ paths: files });
    const first = await t.call('dataset.query', { sort: 'oldest', limit: 100, thumbs: false });
    const other = tmpCore();
    try {
      await waitJob<Summary>(other.core, () => other.call('dataset.import', { paths: [...files].reverse() }));
      const second = await other.call('dataset.query', { sort: 'oldest', limit: 100, thumbs: false });
      const bySource = async (c: typeof t.call, rows: { id: number; split: string }[]) =>
        Object.fromEntries(await Promise.all(rows.map(async (r) => [(await c('dataset.sample', { id: r.id })).source, r.split])));
      expect(await bySource(other.call, second.rows)).toEqual(await bySource(t.call, first.rows));
      const splits = new Set(first.rows.map((r) => r.split));
      expect(splits.has('train')).toBe(true);
    } finally {
      await other.close();
    }
    const forced = await inkImage(path.join(t.dir, 'forced.png'), { seed: 999 });
    await imp({ paths: [forced], split: 'test' });
    const q = await t.call('dataset.query', { filter: { source: 'forced.png' }, thumbs: false });
    expect(q.rows.map((r) => r.split)).toEqual(['test']);
  });

  it('rejects a --label outside the class set for every file and imports nothing', async () => {
    const f = await inkImage(path.join(t.dir, 'x.png'));
    const s = await imp({ paths: [f], label: 'a' });
    expect(s.imported).toBe(0);
    expect(s.errors[0]!.reason).toMatch(/label 'a' is not in the class set/);
  });
});

describe('browser uploads', () => {
  it('stages base64 files with class folders, imports them under their uploaded names and cleans up', async () => {
    const a = fs.readFileSync(await inkImage(path.join(t.dir, 'src', 'a.png'), { seed: 1 })).toString('base64');
    const b = fs.readFileSync(await inkImage(path.join(t.dir, 'src', 'b.webp'), { seed: 2, format: 'webp' })).toString('base64');
    const s = await waitJob<Summary>(t.core, () =>
      t.call('dataset.importUpload', {
        files: [
          { name: 'A/img1.png', data: a },
          { name: 'Z/img2.webp', data: b },
          { name: 'junk.png', data: Buffer.from('nope').toString('base64') },
        ],
      }),
    );
    expect(s.imported).toBe(2);
    expect(s.errors).toEqual([{ file: 'upload:junk.png', reason: expect.stringMatching(/not an image/) }]);
    const q = await t.call('dataset.query', { sort: 'label', thumbs: false });
    expect(q.rows.map((r) => r.label)).toEqual(['A', 'Z']);
    expect((await t.call('dataset.sample', { id: q.rows[0]!.id })).source).toBe('upload:A/img1.png');
    const tmp = path.join(t.dir, 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });

  it('refuses names that climb out of the staging folder', async () => {
    await expect(t.call('dataset.importUpload', { files: [{ name: '../evil.png', data: '' }] })).rejects.toMatchObject({ type: 'validation' });
  });
});
