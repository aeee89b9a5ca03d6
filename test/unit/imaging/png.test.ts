import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeGrayPng, encodeGrayPng } from '../../../main/core/imaging/png';

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
