import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickConfig, toyCore } from './toy-core';

/** The weights file of a registered model. */
function weightsOf(dir: string): Float32Array {
  const b = fs.readFileSync(path.join(dir, 'weights.bin'));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe('fine-tuning (initFrom)', () => {
  it('starts from the given model: a run that cannot learn keeps its accuracy and its weights', async () => {
    const env = toyCore();
    const first = await env.call('training.start', { config: quickConfig({ epochs: 5 }), name: 'base' });
    const fin1 = await env.finished(first.jobId);
    expect(fin1.status, fin1.error?.message).toBe('done');
    const base = await env.call('models.get', { id: fin1.result.modelId });
    expect(base.metrics?.validation?.accuracy).toBeGreaterThanOrEqual(0.95);

    // A learning rate of ~0: only the starting weights can give the accuracy.
    const tuned = await env.call('training.start', { config: quickConfig({ epochs: 1, learningRate: 1e-12, initFrom: base.dir }), name: 'tuned' });
    const fin2 = await env.finished(tuned.jobId);
    expect(fin2.status, fin2.error?.message).toBe('done');
    const m = await env.call('models.get', { id: fin2.result.modelId });
    expect(m.metrics?.validation?.accuracy).toBe(base.metrics?.validation?.accuracy);
    const a = weightsOf(base.dir);
    const b = weightsOf(m.dir);
    expect(b.length).toBe(a.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThan(1e-6);

    // The same from scratch learns nothing in one epoch at that rate.
    const scratch = await env.call('training.start', { config: quickConfig({ epochs: 1, learningRate: 1e-12 }), name: 'scratch' });
    const fin3 = await env.finished(scratch.jobId);
    const s = await env.call('models.get', { id: fin3.result.modelId });
    expect(s.metrics!.validation!.accuracy).toBeLessThan(0.9);
  }, 150_000);

  it("trains the start model's own network and input size, whatever the run asked for", async () => {
    const env = toyCore();
    const first = await env.call('training.start', { config: quickConfig({ epochs: 1 }) });
    const fin = await env.finished(first.jobId);
    const base = await env.call('models.get', { id: fin.result.modelId });
    // The classes a run trains on now: what a start model must have.
    expect((await env.call('training.classes', {})).classes).toBe(base.classes);
    const other = await env.call('training.start', {
      config: quickConfig({ epochs: 1, inputSize: 20, initFrom: base.dir, model: { filters: [4, 8], dense: [16], dropout: 0 } }),
    });
    const done = await env.finished(other.jobId);
    expect(done.status, done.error?.message).toBe('done');
    const tuned = await env.call('models.get', { id: done.result.modelId });
    expect(tuned.inputSize).toBe(base.inputSize);
    expect(weightsOf(tuned.dir).length).toBe(weightsOf(base.dir).length);
    const runs = await env.call('training.runs', { limit: 5 });
    const run = runs.find((r) => r.id === other.runId)!;
    expect(run.config.inputSize).toBe(base.inputSize);
    expect(run.config.model).toMatchObject({ filters: (base.config as { model: { filters: number[] } }).model.filters });
  }, 150_000);

  it('refuses a model of other classes or a network its weights do not fit, naming the folder', async () => {
    const env = toyCore();
    const first = await env.call('training.start', { config: quickConfig({ epochs: 1 }) });
    const fin = await env.finished(first.jobId);
    const dir = (await env.call('models.get', { id: fin.result.modelId })).dir;
    await expect(env.call('training.start', { config: quickConfig({ initFrom: path.join(dir, 'nope') }) })).rejects.toMatchObject({ type: 'not_found' });
    await expect(env.call('training.start', { config: quickConfig({ initFrom: 'relative/dir' }) })).rejects.toMatchObject({ type: 'validation' });
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ ...meta, classes: 'XOI' }));
    await expect(env.call('training.start', { config: quickConfig({ initFrom: dir }) })).rejects.toMatchObject({
      type: 'bad_input',
      message: expect.stringContaining('classes'),
    });
    // A folder whose recorded network is not the one its weights were trained with: the worker refuses
    // the weights and the run fails with the reason.
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ ...meta, modelConfig: { ...meta.modelConfig, filters: [4, 8], dense: [16] } }));
    const other = await env.call('training.start', { config: quickConfig({ initFrom: dir }) });
    const bad = await env.finished(other.jobId);
    expect(bad.status).toBe('failed');
    expect(bad.error?.message).toContain('network differs');
  }, 150_000);

  it('resumes a fine-tuning run from its checkpoint after its start model was deleted', async () => {
    const env = toyCore();
    const first = await env.call('training.start', { config: quickConfig({ epochs: 1 }), name: 'base' });
    const fin = await env.finished(first.jobId);
    const base = await env.call('models.get', { id: fin.result.modelId });
    const tuned = await env.call('training.start', { config: quickConfig({ epochs: 50, initFrom: base.dir }), name: 'tuned' });
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch' && e.payload.jobId === tuned.jobId);
    expect(await env.call('jobs.cancel', { id: tuned.jobId })).toEqual({ cancelled: true });
    expect((await env.finished(tuned.jobId)).status).toBe('cancelled');
    await env.call('models.delete', { id: base.id });
    expect(fs.existsSync(base.dir)).toBe(false);
    // A new fine-tuning start from the deleted folder is refused; the interrupted run goes on.
    await expect(env.call('training.start', { config: quickConfig({ initFrom: base.dir }) })).rejects.toMatchObject({ type: 'not_found' });
    const resumed = await env.call('training.start', { resumeRunId: tuned.runId });
    await env.waitFor((e) => e.name === 'training.progress' && e.payload.phase === 'epoch' && e.payload.jobId === resumed.jobId);
    expect(await env.call('jobs.cancel', { id: resumed.jobId })).toEqual({ cancelled: true });
    expect((await env.finished(resumed.jobId)).status).toBe('cancelled');
  }, 150_000);
});
