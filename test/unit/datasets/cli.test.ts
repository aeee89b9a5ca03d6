import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { csvHeader, inkImage, tile, writeCsv, writeIdx } from './fixtures';

const run = promisify(execFile);
const BIN = path.resolve('bin/glyphlab.js');
const built = fs.existsSync('dist/main/cli.js');
if (!built) console.log('dataset CLI tests skipped: dist/main/cli.js missing (run `node scripts/build.mjs main`)');

async function glyphlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe.skipIf(!built)('glyphlab import / export / stats', { timeout: 180_000 }, () => {
  const tmp = tmpDir();
  const db = path.join(tmp.dir, 'cli.db');
  let idx: { images: string };
  beforeAll(async () => {
    idx = writeIdx(path.join(tmp.dir, 'idx'), 'train', [tile(1), tile(2), tile(3)], [10, 11, 40], { gz: true });
    writeCsv(path.join(tmp.dir, 'csv', 'rows.csv'), [{ label: 'C', px: Array.from(tile(4)) }, { label: 'D', px: [1, 2] }], csvHeader('char'));
    await inkImage(path.join(tmp.dir, 'folder', 'E', 'e.png'), { seed: 3 });
  });
  afterAll(() => tmp.cleanup());

  it('import --json prints the summary as the last line, exits 0 with per-item errors, and dedupes', async () => {
    const r = await glyphlab(['import', idx.images, path.join(tmp.dir, 'csv', 'rows.csv'), '--db', db, '--json']);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(Object.keys(s).sort()).toEqual(['duplicates', 'errors', 'imported']);
    expect(s.imported).toBe(3);
    expect(s.duplicates).toBe(0);
    expect(s.errors).toEqual([
      { file: expect.stringMatching(/train-images-idx3-ubyte\.gz#2$/), reason: expect.stringMatching(/label 40/) },
      { file: expect.stringMatching(/rows\.csv:3$/), reason: expect.stringMatching(/expected 784 pixel values/) },
    ]);
    const again = lastJson((await glyphlab(['import', idx.images, '--db', db, '--json'])).stdout);
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('import of a class folder with --format folder and --split, then stats --json', async () => {
    const r = await glyphlab(['import', path.join(tmp.dir, 'folder'), '--db', db, '--format', 'folder', '--split', 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 1 samples/);
    const st = lastJson((await glyphlab(['stats', '--db', db, '--json'])).stdout) as { total: number; byClass: Record<string, number>; bySplit: Record<string, number> };
    expect(st.total).toBe(4);
    expect([st.byClass.A, st.byClass.B, st.byClass.C, st.byClass.E]).toEqual([1, 1, 1, 1]);
    expect(st.bySplit.test).toBeGreaterThanOrEqual(1);
    expect(Object.values(st.bySplit).reduce((a, b) => a + b, 0)).toBe(4);
  });

  // Every format's round trip is tested in process (export.test.ts); here the CLI path, once (spawns are slow).
  it('export writes IDX that a fresh database re-imports with the same counts', async () => {
    for (const [format, out] of [['idx', 'idx-out']] as const) {
      const target = path.join(tmp.dir, 'exports', out);
      const r = await glyphlab(['export', '--db', db, '--format', format, '--out', target]);
      expect(r.code).toBe(0);
      const fresh = path.join(tmp.dir, `fresh-${format}.db`);
      const s = lastJson((await glyphlab(['import', target, '--db', fresh, '--json'])).stdout);
      expect(s).toMatchObject({ imported: 4, duplicates: 0, errors: [] });
    }
  });

  it('bad arguments: non-zero exit and nothing imported', async () => {
    const missing = await glyphlab(['import', path.join(tmp.dir, 'nope.png'), '--db', db, '--json']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.png: no such file/);
    const badFormat = await glyphlab(['import', idx.images, '--db', db, '--format', 'zip']);
    expect(badFormat.code).not.toBe(0);
    const badLabel = await glyphlab(['import', path.join(tmp.dir, 'folder', 'E', 'e.png'), '--db', db, '--label', 'é']);
    expect(badLabel.code).not.toBe(0);
    expect(badLabel.stderr).toMatch(/not in the class set/);
  });
});
