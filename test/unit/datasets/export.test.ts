import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportSummary } from '../../../main/common/contract/dataset';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let src: ReturnType<typeof tmpCore>;
beforeEach(async () => {
  src = tmpCore();
  await src.call('dataset.setClasses', { classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.#' });
  const f = writeIdx(path.join(src.dir, 'in'), 'x', Array.from({ length: 9 }, (_, i) => tile(i)), [10, 11, 12, 0, 9, 35, 36, 37, 10]);
  await waitJob<Summary>(src.core, () => src.call('dataset.import', { paths: [f.images] }));
  const ids = (await src.call('dataset.ids', { sort: 'oldest' })).ids;
  await src.call('dataset.relabel', { ids: [ids[8]!], label: null }); // unlabeled: not exported
});
afterEach(async () => {
  await src.close();
});

/** Every labeled live sample as "label:pngbase64", sorted: identical sets mean identical samples and labels. */
async function fingerprint(c: typeof src.call): Promise<string[]> {
  const q = await c('dataset.query', { filter: {}, sort: 'oldest', limit: 2000, thumbs: false });
  const out: string[] = [];
  for (const r of q.rows) if (r.label !== null) out.push(`${r.label}:${(await c('dataset.sample', { id: r.id })).image}`);
  return out.sort();
}

const cases = [
  { format: 'folder' as const, out: 'tree', gzip: false },
  { format: 'idx' as const, out: 'idx', gzip: false },
  { format: 'idx' as const, out: 'idxgz', gzip: true },
  { format: 'csv' as const, out: 'data.csv', gzip: false },
];

describe('export round trips', () => {
  for (const c of cases) {
    it(`${c.format}${c.gzip ? ' (gz)' : ''}: re-importing gives the same samples and labels`, async () => {
      const out = path.join(src.dir, 'out', c.out);
      const summary = await waitJob<ExportSummary>(src.core, () => src.call('dataset.export', { format: c.format, out, gzip: c.gzip }));
      expect(summary).toMatchObject({ exported: 8, skipped: 1 });
      for (const f of summary.files) expect(fs.existsSync(f)).toBe(true);
      if (c.format === 'folder') {
        expect(fs.readdirSync(out).sort()).toEqual(['#', '0', '9', 'A', 'B', 'C', 'U+002E', 'Z']);
      }
      if (c.gzip) expect(summary.files[0]).toMatch(/\.gz$/);
      const dst = tmpCore();
      try {
        await dst.call('dataset.setClasses', { classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.#' });
        const s = await waitJob<Summary>(dst.core, () => dst.call('dataset.import', { paths: [out] }));
        expect(s).toMatchObject({ imported: 8, duplicates: 0, errors: [] });
        expect(await fingerprint(dst.call)).toEqual(await fingerprint(src.call));
      } finally {
        await dst.close();
      }
    });
  }

  it('exports only what the filter selects', async () => {
    const out = path.join(src.dir, 'out', 'onlyA.csv');
    const summary = await waitJob<ExportSummary>(src.core, () => src.call('dataset.export', { format: 'csv', out, filter: { labels: ['A'] } }));
    expect(summary.exported).toBe(1);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith('A,')).toBe(true);
    expect(lines[1]!.split(',')).toHaveLength(785);
  });
});
