import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPages, stretchContrast } from '../../../main/core/ocr/load-pages';
import { tmpDir } from '../../helpers/tmp';

/** A PNG whose header claims width×height but whose data is a few bytes: a "pixel bomb" header. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('loadPages', () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());

  it('refuses a pixel bomb before decoding it, naming the file', async () => {
    const file = path.join(tmp.dir, 'bomb.png');
    fs.writeFileSync(file, bombPng(60_000, 60_000));
    await expect(loadPages(file)).rejects.toMatchObject({ type: 'bad_input', message: expect.stringMatching(/bomb\.png.*too large/) });
  });

  it('names the file and the reason for a missing or corrupt file', async () => {
    await expect(loadPages(path.join(tmp.dir, 'nope.png'))).rejects.toMatchObject({ message: expect.stringContaining('nope.png') });
    const bad = path.join(tmp.dir, 'bad.jpg');
    fs.writeFileSync(bad, 'not an image at all');
    await expect(loadPages(bad)).rejects.toMatchObject({ type: 'bad_input', message: expect.stringContaining('bad.jpg') });
  });

  it('gives one page per page of a multi-page TIFF, in order', async () => {
    const white = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const black = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#000000' } }).png().toBuffer();
    const tiff = await sharp([white, black, white], { join: { animated: true } }).tiff().toBuffer();
    const pages = await loadPages(tiff, 'scan.tiff', { normalize: false });
    expect(pages.map((p) => [p.index, p.width, p.height, p.data[0]])).toEqual([
      [0, 60, 40, 255],
      [1, 60, 40, 0],
      [2, 60, 40, 255],
    ]);
    expect(pages[1]!.source).toBe('scan.tiff');
  });

  it('applies the EXIF orientation and decodes JPEG and WebP to grayscale', async () => {
    // A 40x20 image, left half black, stored with orientation 6 (rotate 90° clockwise to view).
    const raw = Buffer.alloc(40 * 20 * 3, 255);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) raw.fill(0, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3);
    const jpg = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const [p] = await loadPages(jpg, 'photo.jpg');
    expect([p!.width, p!.height]).toEqual([20, 40]);
    // Viewed upright, the black half is on top.
    expect(p!.data[2 * 20 + 10]!).toBeLessThan(60);
    expect(p!.data[37 * 20 + 10]!).toBeGreaterThan(200);
    const webp = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).webp({ lossless: true }).toBuffer();
    const [q] = await loadPages(webp, 'x.webp');
    expect(q!.data.length).toBe(40 * 20);
  });
});

describe('stretchContrast', () => {
  it('maps the 1st percentile to 0 and the 99th to 255, keeping the order of levels', () => {
    // A dull page: paper at 150, ink at 100, levels in between; one outlier each way (below 1%).
    const px = new Uint8Array(1000);
    for (let i = 0; i < px.length; i++) px[i] = i < 300 ? 100 : i < 320 ? 125 : 150;
    px[0] = 5;
    px[999] = 250;
    const before = Array.from(px);
    stretchContrast(px);
    expect(px[1]).toBe(0);
    expect(px[500]).toBe(255);
    expect(px[310]).toBeGreaterThan(100);
    expect(px[310]).toBeLessThan(155);
    for (let i = 1; i < px.length; i++) if (before[i - 1]! < before[i]!) expect(px[i - 1]!).toBeLessThanOrEqual(px[i]!);
  });
});
