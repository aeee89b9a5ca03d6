import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBmp } from '../../../main/core/imaging/bmp';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, waitJob } from '../datasets/fixtures';

/** Encodes gray pixels as a BMP of the given depth (8: palette of grays; 24, 32: BGR(A)), bottom-up unless topDown. */
function encodeBmp(px: Uint8Array, w: number, h: number, bpp: 8 | 24 | 32, topDown = false): Buffer {
  const stride = Math.ceil((w * bpp) / 32) * 4;
  const paletteSize = bpp === 8 ? 256 * 4 : 0;
  const offset = 14 + 40 + paletteSize;
  const b = Buffer.alloc(offset + stride * h);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(topDown ? -h : h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(bpp, 28);
  if (bpp === 8) for (let i = 0; i < 256; i++) b.fill(i, 54 + i * 4, 54 + i * 4 + 3);
  for (let y = 0; y < h; y++) {
    const row = offset + (topDown ? y : h - 1 - y) * stride;
    for (let x = 0; x < w; x++) {
      const v = px[y * w + x]!;
      if (bpp === 8) b[row + x] = v;
      else b.fill(v, row + x * (bpp / 8), row + x * (bpp / 8) + 3);
    }
  }
  return b;
}

/** A dark "L" on white paper, 13x17 (odd sizes exercise the row padding). */
function letterL(w = 13, h = 17): Uint8Array {
  const px = new Uint8Array(w * h).fill(250);
  for (let y = 2; y < h - 2; y++) for (let x = 3; x < 6; x++) px[y * w + x] = 10;
  for (let y = h - 5; y < h - 2; y++) for (let x = 3; x < w - 2; x++) px[y * w + x] = 10;
  return px;
}

describe('BMP decoding', () => {
  it('reads 8-, 24- and 32-bit, bottom-up and top-down, pixel for pixel', () => {
    const px = letterL();
    for (const bpp of [8, 24, 32] as const) {
      for (const topDown of [false, true]) {
        const img = decodeBmp(encodeBmp(px, 13, 17, bpp, topDown), 1e6);
        expect([img.width, img.height], `${bpp} ${topDown}`).toEqual([13, 17]);
        expect(Buffer.from(img.data).equals(Buffer.from(px)), `${bpp}-bit topDown=${topDown}`).toBe(true);
      }
    }
  });

  it('refuses a cut-short file and a pixel bomb with reasons', () => {
    const full = encodeBmp(letterL(), 13, 17, 24);
    expect(() => decodeBmp(full.subarray(0, full.length - 20), 1e6)).toThrow(/truncated/);
    expect(() => decodeBmp(full, 100)).toThrow(/pixel limit/);
  });
});

describe('BMP import', () => {
  let t: ReturnType<typeof tmpCore>;
  beforeEach(() => {
    t = tmpCore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('imports a BMP as a sample and names a broken one', async () => {
    const good = path.join(t.dir, 'L.bmp');
    const bad = path.join(t.dir, 'cut.bmp');
    const bytes = encodeBmp(letterL(), 13, 17, 24);
    fs.writeFileSync(good, bytes);
    fs.writeFileSync(bad, bytes.subarray(0, 80));
    const s = await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [good, bad], label: 'L' }));
    expect(s.imported).toBe(1);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]!.file).toContain('cut.bmp');
    expect(s.errors[0]!.reason).toMatch(/truncated/);
  });
});
