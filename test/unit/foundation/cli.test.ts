import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';

const run = promisify(execFile);
const BIN = path.resolve('bin/glyphlab.js');
const built = fs.existsSync('dist/main/cli.js');

describe.skipIf(!built)('glyphlab CLI', () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());

  it('prints help listing its commands', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    expect(stdout).toMatch(/Usage: glyphlab/);
    for (const cmd of ['info', 'serve']) expect(stdout).toContain(cmd);
  });

  it('prints its version from package.json', async () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    const { stdout } = await run(process.execPath, [BIN, '--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('info --json creates the database and names the backend', async () => {
    const db = path.join(tmp.dir, 'sub dir', 'my data.db');
    const { stdout } = await run(process.execPath, [BIN, 'info', '--db', db, '--json']);
    const info = JSON.parse(stdout.trim().split('\n').at(-1)!) as { dbPath: string; backend: { name: string } };
    expect(info.dbPath).toBe(db);
    expect(fs.existsSync(db)).toBe(true);
    expect(['node', 'wasm', 'cpu']).toContain(info.backend.name);
  });

  it('fails with one line naming the file for a database it cannot open', async () => {
    const bad = path.join(tmp.dir, 'bad.db');
    fs.writeFileSync(bad, 'not a database at all, just text '.repeat(50));
    const err = (await run(process.execPath, [BIN, 'info', '--db', bad]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain('bad.db');
  });

  it('rejects an unknown command with usage help', async () => {
    const err = (await run(process.execPath, [BIN, 'frobnicate']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/unknown command/);
  });
});
