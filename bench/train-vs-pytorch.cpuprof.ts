/**
 * Training steps only (no PyTorch), to run under `node --cpu-prof` and see where the CPU goes outside
 * the kernels:  nice -n 10 node --cpu-prof --cpu-prof-dir=/tmp/p node_modules/vite-node/vite-node.mjs bench/train-vs-pytorch.cpuprof.ts
 */
import { setIm2colMaxFloats } from '../main/core/ml/kernels/conv2d-backprop-filter/js';
import { cpuSec, makeData, parseArgs, setupTfjs, tfjsTrain } from './train-vs-pytorch.lib';

const a = parseArgs(process.argv.slice(2));
const data = makeData(a.samples, a.size, a.classes, a.data);
const { model } = await setupTfjs(a);
const capArg = process.argv.indexOf('--im2col-cap');
if (capArg > 0) setIm2colMaxFloats(Number(process.argv[capArg + 1]));
for (let rep = 0; rep < 2; rep++) {
  const c0 = cpuSec();
  const r = await tfjsTrain(model, data, a.batch, a.classes);
  console.log(`${r.samplesPerSec.toFixed(1)} samples/s, ${r.samplesPerCpuSec.toFixed(1)} samples/CPU-s (${(cpuSec() - c0).toFixed(1)} CPU-s)`);
}
process.exit(0);
