import { describe, expect, it } from 'vitest';
import { quickConfig, toyCore } from '../../training/toy-core';

describe('whose predictions the dataset filters show', () => {
  it('the active trained model (else the latest), how many samples it has predicted, and predicting all fills it', async () => {
    const env = toyCore();
    const train = async (name: string) => (await env.finished((await env.call('training.start', { config: quickConfig({ epochs: 1 }), name })).jobId)).result.modelId as number;
    const a = await train('first');
    const b = await train('second');
    let info = await env.call('learn.predictionsInfo', {});
    expect(info.model).toEqual({ id: b, name: 'second' });
    expect(info.predicted).toBe(0);
    expect(info.total).toBeGreaterThan(0);
    await env.call('models.setActive', { id: a });
    info = await env.call('learn.predictionsInfo', {});
    expect(info.model?.id).toBe(a);
    expect(info.active).toEqual({ id: a, name: 'first' });
    const job = await env.call('evaluation.predict', { modelId: a });
    expect((await env.finished(job.jobId)).status).toBe('done');
    info = await env.call('learn.predictionsInfo', {});
    expect(info.predicted).toBe(info.total);
    // The disagreement filter now uses the active model's predictions.
    const q = await env.call('dataset.query', { filter: { disagree: true }, offset: 0, limit: 1000 });
    const withPred = await env.call('dataset.query', { filter: { minConfidence: 0 }, offset: 0, limit: 1000 });
    expect(withPred.total).toBe(info.total);
    expect(q.total).toBeLessThanOrEqual(info.total);
  }, 120_000);
});
