import * as tf from '@tensorflow/tfjs';
import { trainStep, type BenchData } from './train-vs-pytorch.lib';

export interface StepProfile {
  wallMs: number;
  kernelMs: number;
  byKernel: Array<[string, number]>;
  calls: Array<{ name: string; shapes: string; ms: number }>;
}

/** Per-kernel times of one training step (tf.profile; kernels timed one by one). */
export async function profileStep(model: tf.LayersModel, d: BenchData, batch: number, classes: number): Promise<StepProfile> {
  const px = d.size * d.size;
  const x = d.x.subarray(0, batch * px);
  const y = d.y.subarray(0, batch);
  tf.dispose(trainStep(model, x, y, d.size, classes));
  const t0 = performance.now();
  const prof = await tf.profile(async () => {
    const l = trainStep(model, x, y, d.size, classes);
    await l.data();
    l.dispose();
  });
  const wallMs = performance.now() - t0;
  const agg = new Map<string, number>();
  for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const byKernel = [...agg].sort((p, q) => q[1] - p[1]);
  const calls = prof.kernels
    .filter((k) => Number(k.kernelTimeMs) >= 0.5)
    .map((k) => ({ name: k.name, shapes: JSON.stringify(k.inputShapes), ms: Number(k.kernelTimeMs) }));
  return { wallMs, kernelMs: byKernel.reduce((s, [, v]) => s + v, 0), byKernel, calls };
}

export function printProfile(p: StepProfile): void {
  console.log(`\nPROFILE one step: wall ${p.wallMs.toFixed(1)} ms (profiled), kernels ${p.kernelMs.toFixed(1)} ms`);
  console.log(p.byKernel.filter(([, v]) => v >= 0.05).map(([k, v]) => `${k}=${v.toFixed(1)}`).join('  '));
  for (const c of p.calls) console.log(`  ${c.name.padEnd(22)} ${c.ms.toFixed(1).padStart(7)} ms  ${c.shapes}`);
}
