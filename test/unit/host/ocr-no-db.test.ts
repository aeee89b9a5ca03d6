import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';

const run = promisify(execFile);
const BIN = path.resolve('bin/glyphlab.js');
const built = fs.existsSync('dist/main/cli.js');
const PAGE = path.resolve('resources/samples/printed-dejavu.png');

describe.skipIf(!built)('glyphlab ocr without a database', () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());

  it('reads with the bundled model and creates no database, neither the default one nor at --db', async () => {
    const config = path.join(tmp.dir, 'config');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: config };
    delete env.GLYPHLAB_DATA_DIR;
    const { stdout } = await run(process.execPath, [BIN, 'ocr', PAGE], { env, timeout: 120_000 });
    expect(stdout.trim().length).toBeGreaterThan(10);
    expect(fs.existsSync(config)).toBe(false);
    const db = path.join(tmp.dir, 'none', 'x.db');
    await run(process.execPath, [BIN, 'ocr', PAGE, '--db', db], { env, timeout: 120_000 });
    expect(fs.existsSync(path.dirname(db))).toBe(false);
  }, 240_000);

  it('uses a database that exists (and leaves it there)', async () => {
    const db = path.join(tmp.dir, 'kept.db');
    await run(process.execPath, [BIN, 'info', '--db', db]);
    const { stdout } = await run(process.execPath, [BIN, 'ocr', PAGE, '--db', db, '--format', 'json'], { timeout: 120_000 });
    expect((JSON.parse(stdout.trim().split('\n').at(-1)!) as { text: string }).text.length).toBeGreaterThan(10);
    expect(fs.existsSync(db)).toBe(true);
  }, 240_000);
});
