import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../main/core/jobs/registry';

function registry() {
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  const jobs = new JobRegistry(((name: string, payload: Record<string, unknown>) => events.push({ name, payload })) as never);
  return { jobs, events };
}

describe('jobs', () => {
  it('reports progress and the result, and lists the job as done', async () => {
    const { jobs, events } = registry();
    const job = jobs.start('import', 'Import', async ({ progress }) => {
      progress(1, 2, 'half', undefined, true);
      progress(2, 2, 'all', undefined, true);
      return { imported: 2 };
    });
    await expect(job.done).resolves.toEqual({ imported: 2 });
    expect(events.filter((e) => e.name === 'job.progress').map((e) => e.payload.done)).toEqual([1, 2]);
    expect(events.at(-1)).toMatchObject({ name: 'job.finished', payload: { id: job.id, status: 'done', result: { imported: 2 } } });
    expect(jobs.get(job.id)).toMatchObject({ status: 'done', done: 2, total: 2 });
  });

  it('cancels through the AbortSignal and says so', async () => {
    const { jobs, events } = registry();
    const job = jobs.start('train', 'Train', ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))));
    expect(jobs.cancel(job.id)).toBe(true);
    await expect(job.done).rejects.toMatchObject({ type: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ name: 'job.finished', payload: { status: 'cancelled' } });
    expect(jobs.cancel(job.id)).toBe(false);
  });

  it('marks a failed job with its error and throttles progress events', async () => {
    const { jobs, events } = registry();
    const job = jobs.start('ocr', 'OCR', async ({ progress }) => {
      for (let i = 0; i < 1000; i++) progress(i, 1000);
      throw new Error('page.png: not an image');
    });
    await expect(job.done).rejects.toThrow('not an image');
    expect(events.filter((e) => e.name === 'job.progress').length).toBeLessThan(5);
    expect(jobs.get(job.id)).toMatchObject({ status: 'failed', message: 'page.png: not an image' });
    expect(() => jobs.get('nope')).toThrow(/No job/);
  });
});
