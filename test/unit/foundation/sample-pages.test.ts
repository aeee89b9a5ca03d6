import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samplePages } from '../../../main/core/app/samples';
import { tmpCore, tmpDir } from '../../helpers/tmp';

const SAMPLES = path.resolve('resources/samples');

describe('app.samplePages', () => {
  const scratch = tmpDir();
  afterAll(() => scratch.cleanup());

  it.skipIf(!fs.existsSync(path.join(SAMPLES, 'printed-dejavu.png')))('serves the shipped pages, the printed one first, with their text and description', async () => {
    const app = tmpCore();
    try {
      const { pages } = await app.call('app.samplePages', {});
      expect(pages[0]!.name).toBe('printed-dejavu.png');
      expect(Buffer.from(pages[0]!.data, 'base64').equals(fs.readFileSync(path.join(SAMPLES, 'printed-dejavu.png')))).toBe(true);
      expect(pages[0]!.truth).toBe(fs.readFileSync(path.join(SAMPLES, 'printed-dejavu.txt'), 'utf8'));
      expect(pages[0]!.description).toMatch(/DejaVu/);
      expect(pages.map((p) => p.name).sort()).toEqual(fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.png')).sort());
    } finally {
      await app.close();
    }
  });

  it('answers none when the folder is absent, and skips what is not a small PNG file', () => {
    expect(samplePages(null)).toEqual([]);
    const dir = scratch.dir;
    fs.writeFileSync(path.join(dir, 'ok.png'), Buffer.from([137, 80, 78, 71]));
    fs.writeFileSync(path.join(dir, 'big.png'), Buffer.alloc(3 * 1024 * 1024));
    fs.mkdirSync(path.join(dir, 'folder.png'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    expect(samplePages(dir).map((p) => p.name)).toEqual(['ok.png']);
  });
});
