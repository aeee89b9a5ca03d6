import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => {
  t = tmpCore();
});
afterEach(async () => {
  await t.close();
});

describe('import jobs', () => {
  it('report progress, emit dataset.changed, and record the batch', async () => {
    const f = writeIdx(path.join(t.dir, 'in'), 'p', Array.from({ length: 300 }, (_, i) => tile(i)), Array.from({ length: 300 }, (_, i) => i % 36));
    const seen: { name: string; payload: unknown }[] = [];
    t.core.onEvent((name, payload) => seen.push({ name, payload }));
    const s = await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [f.images] }));
    expect(s.imported).toBe(300);
    const progress = seen.filter((e) => e.name === 'job.progress').map((e) => e.payload as { done: number; total: number | null });
    expect(progress.at(-1)).toMatchObject({ done: 300, total: 300 });
    expect(seen.some((e) => e.name === 'dataset.changed' && (e.payload as { reason: string }).reason === 'import')).toBe(true);
    const stats = await t.call('dataset.stats', {});
    expect(stats.batches).toEqual([expect.objectContaining({ id: s.batchId, format: 'auto', imported: 300, source: expect.stringMatching(/p-images-idx3-ubyte$/) })]);
  });

  it('cancelling keeps what was committed: whole samples with their images, nothing half-written', async () => {
    const n = 9000;
    const f = writeIdx(path.join(t.dir, 'big'), 'c', Array.from({ length: n }, (_, i) => tile(i)), Array.from({ length: n }, (_, i) => i % 36));
    let jobId: string | null = null;
    let cancelled = false;
    const finished = new Promise<{ status: string }>((resolve) => {
      t.core.onEvent((name, payload) => {
        const p = payload as { id: string; done?: number; status?: string };
        if (name === 'job.progress' && p.id === jobId && (p.done ?? 0) > 0 && !cancelled) {
          cancelled = true;
          void t.call('jobs.cancel', { id: p.id });
        }
        if (name === 'job.finished' && p.id === jobId) resolve(p as { status: string });
      });
    });
    jobId = (await t.call('dataset.import', { paths: [f.images] })).jobId;
    expect((await finished).status).toBe('cancelled');
    const stats = await t.call('dataset.stats', {});
    expect(stats.total).toBeGreaterThan(0);
    expect(stats.total).toBeLessThan(n);
    expect(stats.batches[0]!.imported).toBe(stats.total);
    const q = await t.call('dataset.query', { sort: 'oldest', limit: 2000, offset: 0 });
    expect(q.rows.every((r) => (r.thumb ?? '').length > 0)).toBe(true);
    // Importing again completes the set, with what was kept counted as duplicates.
    const s = await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [f.images] }));
    expect(s.imported + s.duplicates).toBe(n);
    expect(s.duplicates).toBe(stats.total);
  });
});
