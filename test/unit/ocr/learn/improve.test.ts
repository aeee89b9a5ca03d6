import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImproveReport } from '../../../../main/common/contract';
import { openDatabase } from '../../../../main/core/db/open';
import { shouldActivate } from '../../../../main/core/ocr/learn/improve';
import { writeReplaySet } from '../../../../main/core/ocr/learn/replay';
import { storeDocumentGlyphs } from '../../../../main/core/ocr/learn/store';
import { Rng } from '../../../../main/core/training/rng';
import { tmpDir } from '../../../helpers/tmp';
import { toyGlyph } from '../../training/fixtures';
import { quickConfig, toyCore } from '../../training/toy-core';

const transpose = (px: Uint8Array, n: number) => Uint8Array.from(px, (_, i) => px[(i % n) * n + Math.floor(i / n)]!);

describe('the activation rule', () => {
  it('activates only a model better on the documents that loses at most 1 point on the base tiles', () => {
    expect(shouldActivate({ before: 0.9, after: 0.895 }, { before: 0.5, after: 0.8 }).activate).toBe(true);
    expect(shouldActivate({ before: 0.9, after: 0.88 }, { before: 0.5, after: 0.8 })).toMatchObject({ activate: false, reason: expect.stringContaining('1 point') });
    expect(shouldActivate({ before: 0.9, after: 0.95 }, { before: 0.8, after: 0.8 }).activate).toBe(false);
    expect(shouldActivate({ before: 0.9, after: 0.95 }, { before: 0.8, after: 0.7 }).activate).toBe(false);
    expect(shouldActivate({ before: 0.9, after: 0.95 }, { before: null, after: null }).activate).toBe(false);
  });
});

/**
 * A small fixture: a toy model (rings O, crosses X, vertical bars I) improved on "documents" where the
 * person writes I as a horizontal bar, with toy base tiles replayed.
 */
describe('improve (toy model)', () => {
  const t = tmpDir();
  const rng = new Rng(3);
  beforeAll(() => {
    const file = path.join(t.dir, 'replay.bin.gz');
    const tiles = (n: number, r = rng) => [...'OXI'].flatMap((c, y) => Array.from({ length: n }, () => ({ y, px: toyGlyph(c, 28, r) })));
    // 100 test tiles per class: at 40 (120 tiles) one tile is 0.8 points, so the 1-point bound below fell
    // to two tiles' noise (seen failing at 0.975). The 60 more have their own generator (same documents below).
    writeReplaySet(file, { classes: 'OXI', train: tiles(60), test: [...tiles(40), ...tiles(60, new Rng(4))] });
    process.env.GLYPHLAB_REPLAY_SET = file;
  });
  afterAll(() => {
    delete process.env.GLYPHLAB_REPLAY_SET;
    t.cleanup();
  });

  /** Stores document glyphs; every 4th goes to the test split (held back), the rest to train. */
  function addDocuments(dbPath: string, source: string, glyphs: { px: Uint8Array; label: string }[], heldLabel?: string) {
    const db = openDatabase(dbPath);
    try {
      const r = storeDocumentGlyphs(db, source, glyphs.map((g) => ({ ...g, source })), 'transcript');
      r.glyphIds.forEach((id, i) => {
        const held = i % 4 === 0;
        db.prepare(`UPDATE samples SET split = ?, label = ? WHERE id = ?`).run(held ? 'test' : 'train', held && heldLabel ? heldLabel : glyphs[i]!.label, id);
      });
    } finally {
      db.close();
    }
  }

  it('fine-tunes with replay: better on the held-back documents, base kept, made active; a worse model is not', async () => {
    const env = toyCore();
    const base = await env.finished((await env.call('training.start', { config: quickConfig({ epochs: 4 }), name: 'base' })).jobId);
    expect(base.status, base.error?.message).toBe('done');
    const baseDir = (await env.call('models.get', { id: base.result.modelId })).dir;
    await env.call('models.setActive', { id: base.result.modelId });

    addDocuments(env.core.dbPath, 'form.png', Array.from({ length: 48 }, () => ({ px: transpose(toyGlyph('I', 28, rng), 28), label: 'I' })));
    const job = await env.call('learn.improve', { epochs: 8, learningRate: 0.005 });
    const fin = await env.finished(job.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    const r = fin.result as ImproveReport;
    expect(r.from).toBe(baseDir);
    expect(r.documents.n).toBe(12);
    expect(r.documents.after!).toBeGreaterThan(r.documents.before!);
    expect(r.base.n).toBe(300);
    expect(r.base.after!, `base ${r.base.before} -> ${r.base.after}`).toBeGreaterThanOrEqual(r.base.before! - 0.01);
    expect(r.activated).toBe(true);
    expect((await env.call('models.active', {})).model?.id).toBe(r.modelId);
    // It ran as a training run: the dashboard's progress events name it.
    expect(env.events.some((e) => e.name === 'training.progress' && e.payload.runId === r.runId)).toBe(true);

    // Documents that contradict the held-back ones: more horizontal bars, labeled X in train (108 against the
    // 36 labeled I, a shape the replayed tiles never show) and I held back. The new model reads the held-back
    // bars worse, so it is not made active and the improved one stays. (Rings labeled X were a coin toss:
    // the replayed tiles hold more rings labeled O than the documents' share of an epoch held rings labeled X.)
    addDocuments(env.core.dbPath, 'wrong.png', Array.from({ length: 144 }, () => ({ px: transpose(toyGlyph('I', 28, rng), 28), label: 'X' })), 'I');
    const job2 = await env.call('learn.improve', { epochs: 8, learningRate: 0.005 });
    const fin2 = await env.finished(job2.jobId);
    expect(fin2.status, fin2.error?.message).toBe('done');
    const r2 = fin2.result as ImproveReport;
    expect(r2.documents.after!, `documents ${r2.documents.before} -> ${r2.documents.after}`).toBeLessThan(r2.documents.before!);
    expect(r2.activated).toBe(false);
    expect(r2.reason).toMatch(/kept the old model/);
    expect((await env.call('models.active', {})).model?.id).toBe(r.modelId);
  }, 300_000);

  it('a cancelled improve leaves a resumable run that goes on with the same samples', async () => {
    const env = toyCore();
    const base = await env.finished((await env.call('training.start', { config: quickConfig({ epochs: 2 }), name: 'base' })).jobId);
    await env.call('models.setActive', { id: base.result.modelId });
    addDocuments(env.core.dbPath, 'form.png', Array.from({ length: 48 }, () => ({ px: transpose(toyGlyph('I', 28, rng), 28), label: 'I' })));
    const job = await env.call('learn.improve', { epochs: 6, learningRate: 0.005 });
    const started = await env.waitFor((e) => e.name === 'job.progress' && e.payload.id === job.jobId && e.payload.data?.runId !== undefined);
    const runId = started.payload.data.runId as number;
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch' && e.payload.runId === runId);
    await env.call('jobs.cancel', { id: job.jobId });
    const fin = await env.finished(job.jobId);
    expect(fin.status).toBe('cancelled');
    let run = (await env.call('training.runs', { limit: 5 })).find((r) => r.id === runId)!;
    for (let i = 0; i < 200 && run.jobId !== null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await env.call('training.runs', { limit: 5 })).find((r) => r.id === runId)!;
    }
    expect(run.status).toBe('cancelled');
    expect(run.resumable).toBe(true);
    const resumed = await env.call('training.start', { config: quickConfig(), resumeRunId: runId });
    const done = await env.finished(resumed.jobId);
    expect(done.status, done.error?.message).toBe('done');
    // The resumed run trained on the improve's samples (replay and documents), not the toy dataset alone.
    const model = await env.call('models.get', { id: done.result.modelId });
    expect(model.dataset?.total).toBeGreaterThan(3 * 50);
  }, 300_000);
});
