/**
 * A/B of one kernel setting inside one process (rounds alternate, so machine load hits both alike):
 *   nice -n 10 npx vite-node bench/train-vs-pytorch.ab.ts --im2col-caps 4194304,1048576 [--rounds 6] [--samples 512]
 */
import { setIm2colMaxFloats } from '../main/core/ml/kernels/conv2d-backprop-filter/js';
import { makeData, parseArgs, setupTfjs, tfjsTrain } from './train-vs-pytorch.lib';

const argv = process.argv.slice(2);
const a = parseArgs(argv);
const capsArg = argv.indexOf('--im2col-caps');
const caps = (capsArg >= 0 ? argv[capsArg + 1]! : '4194304,1048576').split(',').map(Number);
const data = makeData(a.samples, a.size, a.classes, a.data);
const { model } = await setupTfjs(a);
const res = new Map<number, number[]>();
for (let r = 0; r < a.rounds; r++) {
  for (const cap of r % 2 ? [...caps].reverse() : caps) {
    setIm2colMaxFloats(cap);
    const t = await tfjsTrain(model, data, a.batch, a.classes);
    res.set(cap, [...(res.get(cap) ?? []), t.samplesPerCpuSec]);
  }
}
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;
for (const [cap, v] of res) console.log(`cap ${cap}: median ${median(v).toFixed(1)} samples/CPU-s  [${v.map((x) => x.toFixed(0)).join(' ')}]`);
process.exit(0);
