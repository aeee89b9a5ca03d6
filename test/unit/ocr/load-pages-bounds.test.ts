import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eachPage, loadPages, openPages } from '../../../main/core/ocr/load-pages';
import { tmpDir } from '../../helpers/tmp';
import { tiffBomb } from '../../reliability/support/fixtures';

/** Fails instead of hanging when a read blocks (a FIFO) or never ends (/dev/zero). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);
}

describe('loadPages bounds', () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());

  it('refuses a multi-page TIFF over the document pixel budget from its metadata, before decoding a page', async () => {
    const file = path.join(tmp.dir, 'six.tiff');
    fs.writeFileSync(file, tiffBomb(Array.from({ length: 6 }, () => ({ width: 8000, height: 8000 })))); // 384 M pixels in ~70 kB
    const t0 = performance.now();
    await expect(loadPages(file)).rejects.toMatchObject({ type: 'bad_input', message: expect.stringMatching(/six\.tiff: 6 pages of 384,000,000 pixels .*too many/) });
    expect(performance.now() - t0).toBeLessThan(1000); // decoding them takes seconds
    const pages = await loadPages(file, 'six.tiff', { maxDocumentPixels: 400_000_000, normalize: false });
    expect(pages.map((p) => [p.width, p.height])).toEqual(Array.from({ length: 6 }, () => [8000, 8000]));
  }, 60_000);

  it('checks every page of a TIFF, not only the first, before yielding any', async () => {
    const file = path.join(tmp.dir, 'mixed.tiff');
    fs.writeFileSync(file, tiffBomb([{ width: 100, height: 100 }, { width: 10_000, height: 10_000 }]));
    const seen: number[] = [];
    const read = (async () => {
      for await (const p of eachPage(file, 'mixed.tiff')) seen.push(p.index);
    })();
    await expect(read).rejects.toMatchObject({ type: 'bad_input', message: expect.stringMatching(/mixed\.tiff \(page 2\): image is too large \(10000x10000/) });
    expect(seen).toEqual([]);
  });

  it('gives the page count at open, then pages one at a time', async () => {
    const file = path.join(tmp.dir, 'three.tiff');
    fs.writeFileSync(file, tiffBomb([{ width: 30, height: 20 }, { width: 40, height: 20 }, { width: 50, height: 20 }]));
    const doc = await openPages(file, 'three.tiff');
    expect(doc.count).toBe(3);
    const it = doc.pages[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ index: 0, width: 30 });
    expect((await it.next()).value).toMatchObject({ index: 1, width: 40 });
    await it.return?.(undefined);
  });

  it('reads regular files only: a device, a FIFO or a folder is refused at once, naming it', async () => {
    const fifo = path.join(tmp.dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    for (const [file, what] of [['/dev/zero', 'a device'], [fifo, 'a FIFO'], [tmp.dir, 'a folder']] as const) {
      await expect(within(loadPages(file), 5000), file).rejects.toMatchObject({ type: 'bad_input', message: `${file}: not a regular file (${what}); only image files can be read` });
    }
  });
});
