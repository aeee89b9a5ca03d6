/**
 * One configuration of the kernel tiers, measured on the training bench's model (run it once per
 * configuration of the environment switches, alternating, and compare within one session):
 *   GLYPHLAB_NATIVE_KERNELS=0 nice -n 10 npx vite-node bench/train-vs-pytorch.tiers.ts --label no-native [--samples 1024] [--rounds 2]
 * Prints one line: RESULT {label, samples/s (wall, CPU), per-kernel ms of one step (process CPU and wall), the
 * tiers registered per kernel, and the native calls of one step by kind}.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelTiers } from '../main/core/ml/kernels';
import { nativeCalls, type NativeKernelKind } from '../main/core/ml/kernels/addon';
import { makeData, parseArgs, setupTfjs, tfjsTrain, trainStep } from './train-vs-pytorch.lib';
import { profileStep } from './train-vs-pytorch.profile';

const argv = process.argv.slice(2);
const a = parseArgs(argv);
const label = argv.includes('--label') ? argv[argv.indexOf('--label') + 1]! : 'default';
const data = makeData(a.samples, a.size, a.classes, a.data);
const { info, model } = await setupTfjs(a);

// Which tier ran: native calls of one step, by kind.
tf.dispose(trainStep(model, data.x.subarray(0, a.batch * a.size * a.size), data.y.subarray(0, a.batch), a.size, a.classes));
const kinds: NativeKernelKind[] = ['conv', 'matmul', 'pool', 'sum', 'adam'];
const c0 = kinds.map((kind) => nativeCalls(kind));
tf.dispose(trainStep(model, data.x.subarray(0, a.batch * a.size * a.size), data.y.subarray(0, a.batch), a.size, a.classes));
const nativePerStep = Object.fromEntries(kinds.map((kind, i) => [kind, nativeCalls(kind) - c0[i]!]));

let wall = 0;
let cpu = 0;
for (let r = 0; r < a.rounds; r++) {
  const t = await tfjsTrain(model, data, a.batch, a.classes);
  wall = Math.max(wall, t.samplesPerSec);
  cpu = Math.max(cpu, t.samplesPerCpuSec);
}
const round = (kv: Array<[string, number]>) => Object.fromEntries(kv.map(([k, v]) => [k, +v.toFixed(2)]));
const pc = await profileStep(model, data, a.batch, a.classes, 5, 'cpu');
const pw = await profileStep(model, data, a.batch, a.classes, 5, 'wall');
const result = {
  label,
  backend: info.reason,
  samplesPerSec: +wall.toFixed(1),
  samplesPerCpuSec: +cpu.toFixed(1),
  stepCpuMs: +pc.stepCpuMs.toFixed(1),
  stepWallMs: +pw.stepCpuMs.toFixed(1),
  cpuMs: round(pc.byKernel),
  wallMs: round(pw.byKernel),
  tiers: kernelTiers('wasm'),
  nativePerStep,
};
console.log(`RESULT ${JSON.stringify(result)}`);
model.dispose();
process.exit(0);
