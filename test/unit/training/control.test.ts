import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../main/core/training/checkpoint';
import { quickConfig, toyCore } from './toy-core';

// The test reads checkpoints itself (on the cpu backend).
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Every ckpt-* folder under `root` is complete and readable (temp folders may remain after a kill). */
function assertCheckpointsComplete(root: string): string[] {
  const names = fs.readdirSync(root).filter((n) => n.startsWith('ckpt-'));
  for (const n of names) {
    expect(fs.readdirSync(path.join(root, n)).sort()).toEqual(['best.bin', 'optimizer.bin', 'state.json', 'weights.bin']);
    const ck = readCheckpoint(path.join(root, n));
    expect(ck.state.epoch).toBe(Number(n.slice(5)));
    expect(ck.weights.length).toBeGreaterThan(0);
    for (const t of [...ck.weights, ...ck.best, ...ck.optimizer]) t.tensor.dispose();
  }
  return names;
}

describe('training control', () => {
  it('resumes after the worker is killed mid-run, with the same epoch count as an uninterrupted run', async () => {
    const env = toyCore({ perClass: { train: 24, validation: 6 } });
    const started = await env.call('training.start', { config: quickConfig({ epochs: 5 }) });
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch' && e.payload.epoch === 2);
    // Kill while epoch 3 is under way (or its checkpoint is being written).
    await new Promise((r) => setTimeout(r, 150));
    expect(await env.call('training.cancel', { runId: started.runId, force: true })).toEqual({ cancelled: true });
    const killed = await env.finished(started.jobId);
    expect(killed.status).toBe('cancelled');
    const [run] = await env.call('training.runs', {});
    expect(run).toMatchObject({ status: 'interrupted', resumable: true });
    const ckptRoot = path.join(env.dir, 'checkpoints', `run-${started.runId}`);
    const names = assertCheckpointsComplete(ckptRoot);
    expect(names.length).toBe(1);
    const doneBefore = Number(names[0]!.slice(5));
    expect(doneBefore).toBeGreaterThanOrEqual(2);
    expect(run!.history.length).toBeLessThanOrEqual(doneBefore);

    const resumed = await env.call('training.start', { resumeRunId: started.runId });
    expect(resumed.runId).toBe(started.runId);
    const fin = await env.finished(resumed.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    // Only the missing epochs ran, numbered on from the checkpoint.
    expect(env.epochs(resumed.jobId).map((e) => e.epoch)).toEqual(Array.from({ length: 5 - doneBefore }, (_, i) => doneBefore + i + 1));
    const [after] = await env.call('training.runs', {});
    expect(after).toMatchObject({ status: 'done', resumable: false });
    expect(after!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(fin.result.epochs).toBe(5);
    expect(after!.history.at(-1)!.valAccuracy).toBeGreaterThanOrEqual(0.9);
    await expect(env.call('training.start', { resumeRunId: started.runId })).rejects.toMatchObject({ type: 'conflict' });
  }, 180_000);

  it('cancels between batches (resumable), and allows one training at a time', async () => {
    const env = toyCore({ perClass: { train: 20, validation: 4 } });
    const started = await env.call('training.start', { config: quickConfig({ epochs: 50 }) });
    await expect(env.call('training.start', { config: quickConfig() })).rejects.toMatchObject({ type: 'conflict' });
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch');
    expect(await env.call('jobs.cancel', { id: started.jobId })).toEqual({ cancelled: true });
    const fin = await env.finished(started.jobId);
    expect(fin.status).toBe('cancelled');
    const [run] = await env.call('training.runs', {});
    expect(run).toMatchObject({ status: 'cancelled', resumable: true, jobId: null });
    expect((await env.call('models.list', {})).models).toEqual([]);
    expect(await env.call('training.cancel', { runId: started.runId })).toEqual({ cancelled: false });
    assertCheckpointsComplete(path.join(env.dir, 'checkpoints', `run-${started.runId}`));
  }, 120_000);

  it('finishes early on request and keeps the best model so far', async () => {
    const env = toyCore({ perClass: { train: 20, validation: 4 } });
    const started = await env.call('training.start', { config: quickConfig({ epochs: 50 }) });
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch');
    await env.call('training.cancel', { runId: started.runId, keep: true });
    const fin = await env.finished(started.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    expect(fin.result.epochs).toBeGreaterThanOrEqual(1);
    expect(fin.result.epochs).toBeLessThan(50);
    const [m] = (await env.call('models.list', {})).models;
    expect(m?.id).toBe(fin.result.modelId);
    expect((await env.call('models.get', { id: m!.id })).metrics?.training).toMatchObject({ stoppedEarly: true });
  }, 120_000);
});
