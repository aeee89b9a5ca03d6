import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { tile, writeIdx } from './fixtures';

const BIN = path.resolve('bin/glyphlab.js');
const built = fs.existsSync('dist/main/cli.js');
if (!built) console.log('CLI cancel test skipped: dist/main/cli.js missing (run `node scripts/build.mjs main`)');

describe.skipIf(!built)('glyphlab import, interrupted', { timeout: 180_000 }, () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());

  it('Ctrl-C cancels the import, prints what it kept (imported, duplicates, errors) and keeps it stored', async () => {
    const n = 100_000;
    const f = writeIdx(path.join(tmp.dir, 'big'), 'big', Array.from({ length: n }, (_, i) => tile(i)), Array.from({ length: n }, (_, i) => (i === 5 ? 99 : i % 36)));
    const db = path.join(tmp.dir, 'cancel.db');
    const child = spawn(process.execPath, [BIN, 'import', f.images, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Progress lines ("import  3.0%  3000/100000 ... 2999 new, 0 duplicates, 1 errors") go to stderr when piped.
      const news = [...stderr.matchAll(/(\d+) new/g)].map((m) => Number(m[1]));
      if (!interrupted && news.some((k) => k > 0)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(interrupted, `the import ended before it could be interrupted: ${stderr.slice(-500)}`).toBe(true);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/import cancelled; what was imported before stopping stays/);
    const m = /cancelled: kept imported (\d+) samples, (\d+) duplicates skipped, (\d+) errors/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    const kept = Number(m![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(n);
    expect(Number(m![3])).toBe(1);
    expect(stdout).toMatch(/big-images-idx3-ubyte#5: label 99 has no class/);
    const stats = await promisify(execFile)(process.execPath, [BIN, 'stats', '--db', db, '--json']);
    expect(JSON.parse(stats.stdout.trim().split('\n').at(-1)!)).toMatchObject({ total: kept });
  });
});
