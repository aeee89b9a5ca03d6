import * as tf from '@tensorflow/tfjs';
import { trainStep, type BenchData } from './train-vs-pytorch.lib';

export interface StepProfile {
  /** What the times measure: the process's CPU time (all threads) or wall time. */
  clock: 'cpu' | 'wall';
  /** ms (of `clock`) of one whole (profiled) step, best of the profiled steps. */
  stepCpuMs: number;
  kernelMs: number;
  byKernel: Array<[string, number]>;
  calls: Array<{ name: string; shapes: string; ms: number }>;
  steps: number;
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * Per-kernel times of one training step, as process CPU time (robust to other load on a shared
 * machine) or, with clock 'wall', wall time (what shows work spread over threads), each call's best over `steps` profiled steps. The backend's timer is swapped for a CPU
 * timer while profiling (tf.profile times kernels one by one through backend.time).
 */
export async function profileStep(
  model: tf.LayersModel,
  d: BenchData,
  batch: number,
  classes: number,
  steps = 5,
  clock: 'cpu' | 'wall' = 'cpu',
): Promise<StepProfile> {
  const now = clock === 'cpu' ? cpuMs : () => performance.now();
  const px = d.size * d.size;
  const x = d.x.subarray(0, batch * px);
  const y = d.y.subarray(0, batch);
  tf.dispose(trainStep(model, x, y, d.size, classes));
  const backend = tf.backend() as unknown as { time: (f: () => void) => Promise<{ kernelMs: number }> };
  const ownTime = Object.prototype.hasOwnProperty.call(backend, 'time') ? backend.time : null;
  backend.time = async (f) => {
    const c0 = now();
    f();
    return { kernelMs: now() - c0 };
  };
  let stepCpuMs = Infinity;
  let calls: StepProfile['calls'] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const c0 = now();
      const prof = await tf.profile(async () => {
        const l = trainStep(model, x, y, d.size, classes);
        await l.data();
        l.dispose();
      });
      stepCpuMs = Math.min(stepCpuMs, now() - c0);
      const these = prof.kernels.map((k) => ({ name: k.name, shapes: JSON.stringify(k.inputShapes), ms: Number(k.kernelTimeMs) }));
      calls = s === 0 ? these : calls.map((c, i) => ({ ...c, ms: Math.min(c.ms, these[i]?.ms ?? Infinity) }));
    }
  } finally {
    if (ownTime) backend.time = ownTime;
    else delete (backend as { time?: unknown }).time;
  }
  const agg = new Map<string, number>();
  for (const k of calls) agg.set(k.name, (agg.get(k.name) ?? 0) + k.ms);
  const byKernel = [...agg].sort((p, q) => q[1] - p[1]);
  return { clock, stepCpuMs, kernelMs: byKernel.reduce((s, [, v]) => s + v, 0), byKernel, calls: calls.filter((c) => c.ms >= 0.3), steps };
}

export function printProfile(p: StepProfile): void {
  console.log(
    `\nPROFILE one step (${p.clock === 'cpu' ? 'process CPU' : 'wall'} ms, best of ${p.steps} profiled steps): step ${p.stepCpuMs.toFixed(1)} ms incl. profiler overhead, kernels ${p.kernelMs.toFixed(1)} ms`,
  );
  console.log(p.byKernel.filter(([, v]) => v >= 0.05).map(([k, v]) => `${k}=${v.toFixed(1)}`).join('  '));
  for (const c of p.calls) console.log(`  ${c.name.padEnd(22)} ${c.ms.toFixed(1).padStart(7)} ms  ${c.shapes}`);
}
