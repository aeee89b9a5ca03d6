import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdam } from '../../../main/core/ml/adam';
import { initBackend } from '../../../main/core/ml/backends';
import { nativeCalls } from '../../../main/core/ml/kernels/addon';
import { ADAM_STEP } from '../../../main/core/ml/kernels/adam/loop';
import { cpuReference, onTier, relDiff, tiers, values } from './kernels-fixtures';

let seq = 0;
/** `steps` Adam steps on two variables with fixed, step-dependent gradients; returns the final values. */
function train(backend: string, make: () => tf.Optimizer, steps: number, from?: { opt: Array<{ name: string; tensor: tf.Tensor }>; w: Float32Array[] }) {
  tf.setBackend(backend);
  const shapes = [[40, 30], [30]];
  const vars = shapes.map((s, i) =>
    tf.variable(tf.tensor(from?.w[i] ?? values(s.reduce((a, b) => a * b), 11 + i), s), true, `adam-test-${seq++}`),
  );
  const opt = make();
  return (async () => {
    if (from) await opt.setWeights(from.opt.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })));
    for (let k = 0; k < steps; k++) {
      const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(values(v.size, 100 * k + i, 7), v.shape) }));
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    }
    const w = vars.map((v) => v.dataSync() as Float32Array);
    const weights = await opt.getWeights();
    const state = weights.map((x) => ({ name: x.name, data: x.tensor.dataSync() as Float32Array }));
    // Moments named after this run's variables: compare by position.
    tf.dispose(vars);
    return { w, state, opt, names: weights.map((x) => x.name.replace(/adam-test-\d+/, 'V')) };
  })();
}

describe('fused Adam', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

  // Both tiers of the kernel: the native one (where the addon is built) and the JS loop.
  for (const tier of tiers()) {
    it(`runs the fused kernel on wasm (${tier} tier) and matches tfjs Adam on cpu step for step`, async () => {
      onTier(tier).before();
      try {
        expect(tf.getKernel(ADAM_STEP, 'wasm')).toBeDefined();
        const ref = await train('cpu', () => tf.train.adam(0.01), 5);
        const calls = nativeCalls('adam');
        const fused = await train('wasm', () => new FusedAdam(0.01), 5);
        // 5 steps of two variables (1,200 values, and 30).
        expect(nativeCalls('adam') - calls).toBe(tier === 'native' ? 10 : 0);
        const ops = await train('cpu', () => new FusedAdam(0.01), 5);
        for (let i = 0; i < 2; i++) {
          expect(relDiff(ref.w[i]!, fused.w[i]!)).toBeLessThan(1e-5);
          expect(relDiff(ref.w[i]!, ops.w[i]!)).toBeLessThan(1e-5);
        }
        // Same saved state: iterations, then every first moment, then every second moment.
        expect(fused.names).toEqual(ref.names);
        expect(fused.names).toEqual(['iter', 'V/m', 'V/m', 'V/v', 'V/v']);
        for (let i = 0; i < ref.state.length; i++) expect(relDiff(ref.state[i]!.data, fused.state[i]!.data)).toBeLessThan(1e-5);
        for (const r of [ref, fused, ops]) r.opt.dispose();
      } finally {
        onTier(tier).after();
      }
    });
  }

  it("resumes from tfjs Adam's saved state as if the run had not stopped", async () => {
    const first = await train('cpu', () => tf.train.adam(0.01), 3);
    const saved = (await first.opt.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    const resumed = await train('wasm', () => new FusedAdam(0.01), 3, { opt: saved, w: first.w });
    // Against a tfjs Adam resumed the same way (same state, same next gradients): iterations and
    // moments carried over, bias corrections continued from step 4.
    const refResumed = await train('cpu', () => tf.train.adam(0.01), 3, { opt: saved, w: first.w });
    for (let i = 0; i < 2; i++) expect(relDiff(refResumed.w[i]!, resumed.w[i]!)).toBeLessThan(1e-5);
    tf.dispose(saved.map((s) => s.tensor));
    for (const r of [first, resumed, refResumed]) r.opt.dispose();
  });

  it('takes back its own weights (getWeights -> setWeights) and keeps stepping', async () => {
    const run = await train('wasm', () => new FusedAdam(0.01), 2);
    const opt = run.opt as FusedAdam;
    await opt.setWeights(await opt.getWeights());
    const again = await opt.getWeights();
    expect(again.map((w) => w.name.replace(/adam-test-\d+/, 'V'))).toEqual(run.names);
    for (let i = 0; i < again.length; i++) expect(relDiff(run.state[i]!.data, again[i]!.tensor.dataSync() as Float32Array)).toBe(0);
    opt.dispose();
  });
});
