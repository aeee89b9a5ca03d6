import { describe, expect, it } from 'vitest';
import { quickConfig, SMALL_MODEL, toyCore } from './toy-core';

describe('training a batch-normalized network', () => {
  it('learns, exports an ONNX model that agrees with tfjs, and a fine-tuning run keeps its network', async () => {
    const env = toyCore();
    const bn = { ...SMALL_MODEL, batchNorm: true, convsPerBlock: 2 };
    const first = await env.call('training.start', { config: quickConfig({ epochs: 5, lrSchedule: 'onecycle', model: bn }), name: 'bn' });
    const fin = await env.finished(first.jobId);
    expect(fin.status, fin.error?.message).toBe('done');
    const base = await env.call('models.get', { id: fin.result.modelId });
    expect(base.metrics?.validation?.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(base.metrics?.onnx).toMatchObject({ ok: true, top1Agreement: 1 });

    // Asked for the plain network: the run trains the start model's own (batch norm, two convs per block).
    const tuned = await env.call('training.start', { config: quickConfig({ epochs: 1, learningRate: 1e-4, initFrom: base.dir, model: SMALL_MODEL }) });
    const done = await env.finished(tuned.jobId);
    expect(done.status, done.error?.message).toBe('done');
    const run = (await env.call('training.runs', { limit: 5 })).find((r) => r.id === tuned.runId)!;
    expect(run.config.model).toMatchObject({ batchNorm: true, convsPerBlock: 2 });
    const m = await env.call('models.get', { id: done.result.modelId });
    expect(m.metrics?.validation?.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 200_000);
});
