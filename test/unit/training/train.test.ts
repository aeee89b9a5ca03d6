import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsFromConfusion } from '../../../main/core/evaluation/metrics';
import { quickConfig, toyCore } from './toy-core';

describe('training', () => {
  it('learns a separable toy set, reports progress, keeps tensors stable and registers the model', async () => {
    const env = toyCore();
    const started = await env.call('training.start', { config: quickConfig({ epochs: 6 }), name: 'toy shapes' });
    expect(started.backend.name).toBe('wasm');
    expect(started.warning).toBeNull();
    const fin = await env.finished(started.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    const epochs = env.epochs(started.jobId);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs.at(-1).valAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(epochs.at(-1).loss).toBeLessThan(epochs[0].loss);
    expect(epochs.every((e) => e.backend === 'wasm' && e.samplesPerSec > 0)).toBe(true);
    const batch = env.events.find((e) => e.name === 'training.progress' && e.payload.phase === 'batch');
    expect(batch?.payload).toMatchObject({ runId: started.runId, epochs: 6 });
    expect(batch?.payload.etaSeconds).toBeGreaterThanOrEqual(0);
    // No tensor leaks across epochs (the optimizer's slots exist from the first step on).
    // The default schedule keeps the set rate.
    expect(epochs.map((e) => e.learningRate)).toEqual(Array(6).fill(quickConfig({}).learningRate));
    const counts = epochs.map((e) => e.numTensors);
    expect(new Set(counts).size, `numTensors per epoch: ${counts}`).toBe(1);

    const { models } = await env.call('models.list', {});
    expect(models).toHaveLength(1);
    const m = await env.call('models.get', { id: models[0]!.id });
    expect(path.basename(m.dir)).toBe(`${m.id}-toy-shapes`);
    expect(m.files).toEqual(expect.arrayContaining(['model.json', 'weights.bin', 'metadata.json']));
    expect(m.backend).toBe('wasm');
    expect(m.dataset?.counts.train).toEqual({ O: 40, X: 40, I: 40 });
    expect(m.dataset?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.metrics?.validation?.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(m.metrics?.validation?.perClass.map((c) => c.label)).toEqual(['O', 'X', 'I']);
    // Macro-F1 is stored with the metrics (the evaluation's definition) and shown per model.
    const val = m.metrics!.validation!;
    expect(val.macroF1).toBeCloseTo(metricsFromConfusion(val.confusion, ['O', 'X', 'I']).macroF1, 12);
    expect(val.macroF1).toBeGreaterThanOrEqual(0.9);
    expect(models[0]).toMatchObject({ figuresSplit: 'validation', accuracy: val.accuracy, macroF1: val.macroF1 });
    const meta = JSON.parse(fs.readFileSync(path.join(m.dir, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ classes: 'OXI', inputSize: 16, polarity: 'white-on-black', backend: 'wasm' });
    expect(meta.history).toHaveLength(6);
    const runs = await env.call('training.runs', {});
    expect(runs[0]).toMatchObject({ id: started.runId, status: 'done', modelId: m.id, backend: 'wasm', resumable: false });
    expect(runs[0]!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);

  it('with the cosine schedule, the rate falls every epoch and ends at 1% of the set one; the toy set is still learned', async () => {
    const env = toyCore();
    const started = await env.call('training.start', { config: quickConfig({ epochs: 6, lrSchedule: 'cosine' }) });
    const fin = await env.finished(started.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    const epochs = env.epochs(started.jobId);
    const rates = epochs.map((e) => e.learningRate);
    const lr = quickConfig({}).learningRate;
    expect(rates[0]).toBeLessThan(lr);
    expect(rates.every((r, i) => i === 0 || r < rates[i - 1])).toBe(true);
    expect(rates.at(-1)).toBeCloseTo(lr * 0.01, 10);
    expect(epochs.at(-1).valAccuracy).toBeGreaterThanOrEqual(0.9);
    const [run] = await env.call('training.runs', {});
    expect(run!.config.lrSchedule).toBe('cosine');
  }, 120_000);

  it('stops early when the validation loss stops improving', async () => {
    const env = toyCore({ perClass: { train: 12, validation: 4 } });
    // A learning rate of 0 never improves on the first epoch: patience 2 stops after epoch 3.
    const started = await env.call('training.start', { config: quickConfig({ epochs: 8, patience: 2, learningRate: 1e-12 }) });
    const fin = await env.finished(started.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    expect(env.epochs(started.jobId).length).toBeLessThan(8);
    const m = await env.call('models.get', { id: fin.result.modelId });
    expect(m.metrics?.training).toMatchObject({ stoppedEarly: true });
  }, 120_000);

  it('stops with a clear message when the loss is not finite', async () => {
    const env = toyCore();
    process.env.GLYPHLAB_TRAIN_FAULT = 'nan@3';
    let started;
    try {
      started = await env.call('training.start', { config: quickConfig() });
    } finally {
      delete process.env.GLYPHLAB_TRAIN_FAULT;
    }
    const fin = await env.finished(started.jobId);
    expect(fin.status).toBe('failed');
    expect(fin.error.message).toMatch(/epoch 1, batch 3: the loss became NaN.*learning rate/);
    const [run] = await env.call('training.runs', {});
    expect(run).toMatchObject({ status: 'failed' });
    expect(run!.message).toMatch(/NaN/);
    expect((await env.call('models.list', {})).models).toEqual([]);
  }, 120_000);

  it('refuses bad settings', async () => {
    const env = toyCore();
    await expect(env.call('training.start', { config: quickConfig({ model: { filters: [8], bogus: 1 } }) })).rejects.toMatchObject({
      type: 'validation',
      message: expect.stringMatching(/config\.model/),
    });
    await expect(env.call('training.start', { config: { epochs: 0 } })).rejects.toMatchObject({ type: 'validation' });
    expect(await env.call('training.runs', {})).toEqual([]);
  });

  it('refuses a dataset with fewer than two classes, naming the database', async () => {
    const env = toyCore({ classes: 'O' });
    const err = await env.call('training.start', { config: quickConfig() }).catch((e) => e);
    expect(err).toMatchObject({ type: 'bad_input' });
    expect(err.message).toContain(env.core.dbPath);
    expect(err.message).toMatch(/at least 2 classes/);
  });

  it('previews augmentations of a sample', async () => {
    const env = toyCore();
    const p = await env.call('training.augmentPreview', { sampleId: 1, n: 4, inputSize: 16 });
    expect(p.images).toHaveLength(4);
    expect(new Set(p.images).size).toBe(4);
    expect(Buffer.from(p.original, 'base64').subarray(1, 4).toString()).toBe('PNG');
    await expect(env.call('training.augmentPreview', { sampleId: 99999 })).rejects.toMatchObject({ type: 'not_found' });
  });
});
