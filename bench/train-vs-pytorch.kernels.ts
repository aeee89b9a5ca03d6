/**
 * CPU-time micro-benchmark of the training kernels on the baseline model's shapes (scratch for tuning).
 *   nice -n 10 npx vite-node bench/train-vs-pytorch.kernels.ts [--batch 64] [--reps 5]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../main/core/ml/backends';
import { setIm2colMaxFloats } from '../main/core/ml/kernels/conv2d-backprop-filter/js';

const argv = process.argv.slice(2);
const arg = (n: string, d: number) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? +argv[i + 1]! : d; };
const B = arg('batch', 64);
const REPS = arg('reps', 3);
await initBackend('wasm');
if (argv.includes('--im2col-cap')) setIm2colMaxFloats(arg('im2col-cap', Infinity));
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]! : '';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
function time(label: string, f: () => tf.Tensor | tf.Tensor[], flops = 0) {
  if (only && !label.startsWith(only)) return NaN;
  const once = () => {
    const out = f();
    tf.dispose(out);
  };
  once();
  // CPU time is accounted in scheduler ticks: time batches of calls worth >= 150 ms each.
  let n = 1;
  for (let c0 = cpu(); cpu() - c0 < 30 && n < 1000; n++) once();
  n = Math.max(1, Math.ceil((150 / 30) * n));
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    const c0 = cpu();
    for (let i = 0; i < n; i++) once();
    best = Math.min(best, (cpu() - c0) / n);
  }
  console.log(`${label.padEnd(48)} ${best.toFixed(2).padStart(8)} ms CPU${flops ? `  ${(flops / best / 1e6).toFixed(1)} GFLOP/s` : ''}`);
  return best;
}
const rnd = (shape: number[]) => tf.randomUniform(shape, -1, 1);
const layers = [
  { h: 28, cin: 1, cout: 32 },
  { h: 14, cin: 32, cout: 64 },
  { h: 7, cin: 64, cout: 128 },
];
for (const L of layers) {
  const x = tf.relu(rnd([B, L.h, L.h, L.cin]));
  const w = rnd([3, 3, L.cin, L.cout]);
  const dy = rnd([B, L.h, L.h, L.cout]);
  const fl = 2 * B * L.h * L.h * 9 * L.cin * L.cout;
  time(`conv2d fwd ${L.h}x${L.h}x${L.cin}->${L.cout}`, () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), fl);
  time(`bwFilter`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, L.cin, L.cout] }) as tf.Tensor, fl);
  // As in a training step: a new dy every call (XNNPACK caches packed weights per tensor id).
  const fresh = () => tf.add(dy, 0);
  const tAdd = time(`  (add, for the next line)`, () => fresh());
  const tFresh = time(`bwFilter, fresh dy (incl. add)`, () => tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: fresh() }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, L.cin, L.cout] }) as tf.Tensor), fl);
  if (!only) console.log(`${'bwFilter, fresh dy (net)'.padEnd(48)} ${(tFresh - tAdd).toFixed(2).padStart(8)} ms CPU`);
  if (L.cin > 1) time(`bwInput, fresh dy (incl. add)`, () => tf.tidy(() => tf.engine().runKernel('Conv2DBackpropInput', { dy: fresh(), filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [B, L.h, L.h, L.cin] }) as tf.Tensor), fl);
  if (L.cin > 1) time(`bwInput`, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [B, L.h, L.h, L.cin] }) as tf.Tensor, fl);
  const M = B * L.h * L.h, K = 9 * L.cin;
  const a = rnd([K, M]);
  const b = rnd([M, L.cout]);
  time(`matmul [${K},${M}]x[${M},${L.cout}]`, () => tf.matMul(a, b), 2 * K * M * L.cout);
  time(`matmul [${K},${M}]x[${M},${L.cout}] fresh b (incl. add)`, () => tf.tidy(() => tf.matMul(a, tf.add(b, 0))), 2 * K * M * L.cout);
  time(`  (add b)`, () => tf.add(b, 0));
  const a2 = rnd([M, K]);
  const w2 = rnd([K, L.cout]);
  time(`matmul [${M},${K}]x[${K},${L.cout}] (fwd as gemm)`, () => tf.matMul(a2, w2), 2 * K * M * L.cout);
  time(`transpose x [3,1,2,0]`, () => tf.transpose(x, [3, 1, 2, 0]));
  time(`transpose dy [1,2,0,3]`, () => tf.transpose(dy, [1, 2, 0, 3]));
  tf.dispose([x, w, dy, a, b, a2, w2]);
}
