import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportSummary } from '../../../main/common/contract/dataset';
import { runCli } from '../../../main/host/cli/main';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let app: ReturnType<typeof tmpCore>;
const KEEP = 'my precious notes\n';

beforeEach(async () => {
  app = tmpCore();
  const f = writeIdx(path.join(app.dir, 'in'), 'x', [tile(1), tile(2), tile(3)], [10, 11, 12]);
  await waitJob<Summary>(app.core, () => app.call('dataset.import', { paths: [f.images] }));
});
afterEach(() => app.close());

const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('export never replaces what exists unless asked', () => {
  it('csv: refuses an existing file (conflict) and leaves it as it was; with overwrite, replaces it whole', async () => {
    const out = path.join(app.dir, 'notes.csv');
    fs.writeFileSync(out, KEEP);
    await expect(app.call('dataset.export', { format: 'csv', out })).rejects.toMatchObject({ type: 'conflict', message: expect.stringMatching(/notes\.csv already exists.*--force/) });
    expect(fs.readFileSync(out, 'utf8')).toBe(KEEP);
    const s = await waitJob<ExportSummary>(app.core, () => app.call('dataset.export', { format: 'csv', out, overwrite: true }));
    expect(s.exported).toBe(3);
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^char,pixel0,/);
    expect(leftovers(app.dir)).toEqual([]);
  });

  it('csv: with nothing to export, writes nothing (an existing file stays, even with overwrite)', async () => {
    const out = path.join(app.dir, 'notes.csv');
    fs.writeFileSync(out, KEEP);
    const s = await waitJob<ExportSummary>(app.core, () => app.call('dataset.export', { format: 'csv', out, overwrite: true, filter: { labels: ['Z'] } }));
    expect(s).toMatchObject({ exported: 0, files: [] });
    expect(fs.readFileSync(out, 'utf8')).toBe(KEEP);
    const fresh = path.join(app.dir, 'fresh.csv');
    await waitJob<ExportSummary>(app.core, () => app.call('dataset.export', { format: 'csv', out: fresh, filter: { labels: ['Z'] } }));
    expect(fs.existsSync(fresh)).toBe(false);
    expect(leftovers(app.dir)).toEqual([]);
  });

  it('idx and folder: refuse existing IDX files or a folder that is not empty', async () => {
    const dir = path.join(app.dir, 'outdir');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'mapping.txt'), KEEP);
    await expect(app.call('dataset.export', { format: 'idx', out: dir })).rejects.toMatchObject({ type: 'conflict', message: expect.stringContaining('mapping.txt') });
    await expect(app.call('dataset.export', { format: 'folder', out: dir })).rejects.toMatchObject({ type: 'conflict', message: expect.stringContaining('not empty') });
    expect(fs.readFileSync(path.join(dir, 'mapping.txt'), 'utf8')).toBe(KEEP);
    const s = await waitJob<ExportSummary>(app.core, () => app.call('dataset.export', { format: 'idx', out: dir, overwrite: true }));
    expect(s.exported).toBe(3);
    expect(fs.readFileSync(path.join(dir, 'mapping.txt'), 'utf8')).not.toBe(KEEP);
    expect(leftovers(dir)).toEqual([]);
  });

  it('glyphlab export refuses an existing file without --force, and replaces it with --force', async () => {
    const db = app.core.dbPath;
    const out = path.join(app.dir, 'cli.csv');
    fs.writeFileSync(out, KEEP);
    const err: string[] = [];
    const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['export', '--db', db, '--format', 'csv', '--out', out])).not.toBe(0);
      expect(err.join('')).toMatch(/cli\.csv already exists/);
      expect(fs.readFileSync(out, 'utf8')).toBe(KEEP);
      expect(await runCli(['export', '--db', db, '--format', 'csv', '--out', out, '--force'])).toBe(0);
      expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(4);
    } finally {
      spyErr.mockRestore();
      spyOut.mockRestore();
    }
  });
});
