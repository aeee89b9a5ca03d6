import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdxStreamError, openIdxStream } from '../../../main/core/datasets/import/idx-stream';
import { tmpDir } from '../../helpers/tmp';
import { tile, writeIdx } from './fixtures';

let tmp: ReturnType<typeof tmpDir>;
beforeEach(() => {
  tmp = tmpDir();
});
afterEach(() => tmp.cleanup());

/** 3000 tiles = 2.35 MB: items straddle the stream's 1 MB chunks. */
const N = 3000;
const tiles = Array.from({ length: N }, (_, i) => tile(i));

async function readAll(file: string): Promise<{ items: Buffer[]; complete: number; error: string | null }> {
  const s = await openIdxStream(file, 3);
  const items: Buffer[] = [];
  let error: string | null = null;
  try {
    for await (const chunk of s.chunks()) {
      expect(chunk.length % s.itemSize).toBe(0);
      for (let at = 0; at < chunk.length; at += s.itemSize) items.push(Buffer.from(chunk.subarray(at, at + s.itemSize)));
    }
  } catch (e) {
    if (!(e instanceof IdxStreamError)) throw e;
    error = e.message;
  }
  return { items, complete: s.complete, error };
}

describe('IDX stream', () => {
  for (const gz of [false, true]) {
    it(`yields every item whole and in order across chunk boundaries (${gz ? 'gzip' : 'plain'})`, async () => {
      const f = writeIdx(tmp.dir, gz ? 'g' : 'p', tiles, null, { gz });
      const r = await readAll(f.images);
      expect(r.error).toBeNull();
      expect(r.complete).toBe(N);
      expect(r.items.length).toBe(N);
      for (let i = 0; i < N; i += 1) if (!r.items[i]!.equals(Buffer.from(tiles[i]!))) throw new Error(`item ${i} differs`);
    });
  }

  it('stops at the first chunk that goes past what the header announces (gzip bomb past the first MB)', async () => {
    const f = writeIdx(tmp.dir, 'bomb', tiles, null, { gz: true, imageCount: 1500 });
    const r = await readAll(f.images);
    expect(r.error).toMatch(/unpacks to more than the 1176016 bytes its header announces \(the first \d+ items were read\)/);
    expect(r.items.length).toBe(r.complete);
    expect(r.complete).toBeGreaterThan(0);
    expect(r.complete).toBeLessThan(1500);
  });

  it('a plain file cut short yields its complete items', async () => {
    const f = writeIdx(tmp.dir, 'cut', tiles, null, { cutImageBytes: 784 * 10 + 100 });
    const r = await readAll(f.images);
    expect(r.error).toBeNull();
    expect(r.complete).toBe(N - 11);
  });
});
