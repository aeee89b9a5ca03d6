import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeGrayPng, encodeGrayPng } from '../../../main/core/imaging/png';
import { grayPngBomb } from '../../reliability/support/fixtures';

function pattern(w: number, h: number, seed: number): Uint8Array {
  const px = new Uint8Array(w * h);
  let s = seed >>> 0;
  for (let i = 0; i < px.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // Runs of background, repeated rows and noise: exercises every path of the fast encoder.
    px[i] = i % w < w / 3 ? 0 : (i / w) % 4 < 2 ? px[i - w] ?? 7 : s >>> 24;
  }
  return px;
}

describe('gray PNG codec', () => {
  it('round-trips through its own decoder and through sharp, fast and zlib paths', async () => {
    for (const [w, h, level] of [[28, 28, undefined], [1, 1, undefined], [300, 7, undefined], [64, 64, 9], [400, 300, undefined]] as const) {
      const px = pattern(w, h, w * 31 + h);
      const png = encodeGrayPng(px, w, h, level);
      const mine = decodeGrayPng(png);
      expect([mine.width, mine.height]).toEqual([w, h]);
      expect(Buffer.from(mine.px).equals(Buffer.from(px))).toBe(true);
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([w, h, 1]);
      expect(Buffer.from(data).equals(Buffer.from(px))).toBe(true);
    }
  });

  it('decodes PNGs written by sharp (adaptive filters)', async () => {
    const px = pattern(50, 40, 3);
    const png = await sharp(Buffer.from(px), { raw: { width: 50, height: 40, channels: 1 } }).toColourspace('b-w').png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer();
    const d = decodeGrayPng(png);
    expect(Buffer.from(d.px).equals(Buffer.from(px))).toBe(true);
  });

  it('compresses a blank tile far below its raw size and refuses non-PNG input', () => {
    expect(encodeGrayPng(new Uint8Array(784), 28, 28).length).toBeLessThan(120);
    expect(() => decodeGrayPng(Buffer.from('hello world'))).toThrow(/not a PNG/);
  });
});

describe('gray PNG decode is bounded', () => {
  it('refuses a header over the pixel limit before inflating anything', async () => {
    const bomb = await grayPngBomb(8000, 8000); // 64 M pixels in ~60 KB
    const t0 = performance.now();
    expect(() => decodeGrayPng(bomb, { maxPixels: 128 * 128 })).toThrow(/8000x8000 is too large .*limit 16,384/);
    expect(performance.now() - t0).toBeLessThan(200); // decoding it takes ~1 s
    expect(() => decodeGrayPng(bomb, { maxPixels: 64_000_000 })).not.toThrow();
  });

  it('refuses data that inflates to more than its header says', async () => {
    const liar = await grayPngBomb(4, 4, 2_000_000); // says 4x4, holds 10 MB of rows
    expect(() => decodeGrayPng(liar)).toThrow(/larger than its 4x4 header/);
    const short = await grayPngBomb(4, 4, 2);
    expect(() => decodeGrayPng(short)).toThrow(/cut short/);
  });

  it('refuses by default what no image here may be (over 80 M pixels)', () => {
    const head = encodeGrayPng(new Uint8Array(4), 2, 2);
    head.writeUInt32BE(10_000, 16); // IHDR width
    head.writeUInt32BE(10_000, 20); // IHDR height (the CRC is not checked)
    expect(() => decodeGrayPng(head)).toThrow(/10000x10000 is too large/);
  });
});
