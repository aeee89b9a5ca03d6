import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';

const run = promisify(execFile);
const BIN = path.resolve('bin/glyphlab.js');
const BUNDLED = path.resolve('resources/models/default');
const ready = fs.existsSync('dist/main/cli.js') && fs.existsSync(path.join(BUNDLED, 'model.json'));

describe.skipIf(!ready)('glyphlab model export|import', () => {
  const tmp = tmpDir();
  afterAll(() => tmp.cleanup());
  const cli = async (...args: string[]) => (await run(process.execPath, [BIN, ...args], { timeout: 60_000 })).stdout;

  it('moves a model from one database to another as one archive file', async () => {
    const dbA = path.join(tmp.dir, 'a', 'a.db');
    const dbB = path.join(tmp.dir, 'b', 'b.db');
    // A registered model in A (the models.import request, as the app's folder import does).
    const { createCore } = await import('../../../main/core');
    const core = createCore({ dataDir: path.dirname(dbA), dbPath: dbA });
    const { dispatch } = await import('../../../main/common/rpc/server');
    const m = (await dispatch(core.handlers, 'models.import', { dir: BUNDLED, name: 'travel' }, { signal: new AbortController().signal })) as { id: number };
    await core.close();

    const out = path.join(tmp.dir, 'travel.zip');
    const exported = JSON.parse((await cli('model', 'export', String(m.id), '--out', out, '--db', dbA, '--json')).trim().split('\n').at(-1)!) as { file: string; bytes: number };
    expect(exported.file).toBe(out);
    expect(fs.statSync(out).size).toBe(exported.bytes);
    const again = await run(process.execPath, [BIN, 'model', 'export', String(m.id), '--out', out, '--db', dbA]).catch((e: { stderr: string }) => e);
    expect((again as { stderr: string }).stderr).toMatch(/travel\.zip: exists \(use --force/);

    const imported = JSON.parse((await cli('model', 'import', out, '--db', dbB, '--json')).trim().split('\n').at(-1)!) as { name: string; classes: string };
    expect(imported.name).toBe('travel');
    expect(await cli('model', 'list', '--db', dbB)).toMatch(/^1\ttravel\t36 classes/m);
    const bad = await run(process.execPath, [BIN, 'model', 'import', BIN, '--db', dbB]).catch((e: { stderr: string }) => e);
    expect((bad as { stderr: string }).stderr).toMatch(/glyphlab\.js: not a zip archive/);
  }, 120_000);
});
