/**
 * Training (and inference) speed of glyphlab vs PyTorch CPU on the same CNN, batch, input size and data.
 *
 *   nice -n 10 npx vite-node bench/train-vs-pytorch.ts [--size 28] [--batch 64] [--samples 2048]
 *        [--rounds 2] [--data random|emnist] [--backend auto|wasm|cpu] [--torch-threads 1,2]
 *        [--replicas 2] [--profile] [--json]
 *
 * Engines run alternately within each round (the machine is shared: compare ratios within one run);
 * each engine's best round counts. Two figures per engine: samples/s of wall time (what a user sees)
 * and samples per CPU-second of the process (all threads; robust to other load on the machine).
 * PyTorch is Debian's python3-torch (GLYPHLAB_TORCH_PYTHON overrides). --replicas N also trains
 * data-parallel over N worker threads; --profile prints the per-kernel times of one training step.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { DataParallelTrainer } from './parallel/data-parallel';
import { printProfile, profileStep } from './train-vs-pytorch.profile';
import {
  benchConfig, buildReplicaWorker, dpTrain, fmt, makeData, ortInfer, parseArgs, setupTfjs, shareData, tfjsInfer, tfjsTrain,
  torchAvailable, torchRun, type TrainResult,
} from './train-vs-pytorch.lib';

const a = parseArgs(process.argv.slice(2));
const noTorch = torchAvailable();
if (noTorch) {
  console.error(`PyTorch side unavailable: ${noTorch}`);
  process.exit(2);
}
const data = makeData(a.samples, a.size, a.classes, a.data);
const inferData = makeData(a.inferSamples, a.size, a.classes, 'random', 7);
const shared = shareData(data, inferData);
const { info, model } = await setupTfjs(a);
console.log(`glyphlab backend: ${info.name} (${info.reason})${info.warning ? ` WARNING: ${info.warning}` : ''}; kernels: ${info.kernels.join(', ')}`);
const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');
console.log(`machine: ${os.cpus().length} CPUs, load average ${load()}`);
console.log(`model: ${model.countParams()} params, input ${a.size}px, batch ${a.batch}, ${a.samples} ${data.source} samples/round, ${a.rounds} rounds`);
const trainer = a.replicas > 0
  ? await DataParallelTrainer.create({ replicas: a.replicas, config: benchConfig(a), numClasses: a.classes, backend: a.backend, workerFile: await buildReplicaWorker() })
  : null;

type Runs = Map<string, Array<{ wall: number; cpu: number }>>;
const train: Runs = new Map();
const infer: Runs = new Map();
const push = (m: Runs, k: string, wall: number, cpu: number) => m.set(k, [...(m.get(k) ?? []), { wall, cpu }]);
let ortSkipped: string | null = null;
try {
  for (let r = 0; r < a.rounds; r++) {
    const t: TrainResult = await tfjsTrain(model, data, a.batch, a.classes);
    push(train, 'glyphlab', t.samplesPerSec, t.samplesPerCpuSec);
    if (trainer) {
      const p = await dpTrain(trainer, data, a.batch);
      push(train, `glyphlab x${trainer.replicas}`, p.samplesPerSec, p.samplesPerCpuSec);
    }
    for (const th of a.torchThreads) {
      const p = torchRun(a, th, shared.prefix, 'both');
      push(train, `pytorch(${th})`, p.trainSamplesPerSec, p.trainSamplesPerCpuSec);
      push(infer, `pytorch(${th})`, p.inferSamplesPerSec, p.inferSamplesPerCpuSec);
    }
    for (const th of [1, 2]) {
      const c0 = process.cpuUsage();
      const o = await ortInfer(model, inferData, a.inferBatch, th);
      const c = process.cpuUsage(c0);
      if ('skipped' in o) ortSkipped = o.skipped;
      else push(infer, `glyphlab ort(${th})`, o.samplesPerSec, inferData.n / ((c.user + c.system) / 1e6));
    }
    const c0 = process.cpuUsage();
    const ti = await tfjsInfer(model, inferData, a.inferBatch);
    const c = process.cpuUsage(c0);
    push(infer, `glyphlab tfjs-${tf.getBackend()}`, ti, inferData.n / ((c.user + c.system) / 1e6));
    console.log(`round ${r + 1} (load ${load()}): train samples/s wall|per CPU-s ${[...train].map(([k, v]) => `${k} ${v.at(-1)!.wall.toFixed(1)}|${v.at(-1)!.cpu.toFixed(1)}`).join(', ')}`);
  }
} finally {
  shared.cleanup();
  await trainer?.dispose();
}

const best = (m: Runs, prefix: string, key: 'wall' | 'cpu') =>
  Math.max(...[...m].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v.map((x) => x[key])));
function table(title: string, m: Runs): void {
  console.log(`\n${title}${' '.repeat(Math.max(1, 24 - title.length))}  samples/s (wall)  samples/CPU-s   [best of ${a.rounds}]`);
  for (const [k, v] of m) console.log(`  ${k.padEnd(24)}${fmt(Math.max(...v.map((x) => x.wall)))}        ${fmt(Math.max(...v.map((x) => x.cpu)))}`);
}
table('TRAIN', train);
table('INFER', infer);
const ratio = (m: Runs, key: 'wall' | 'cpu') => best(m, 'glyphlab', key) / best(m, 'pytorch', key);
/** Per round: glyphlab over the round's best PyTorch thread count (the engines ran back to back in it). */
const roundRatios = (m: Runs, key: 'wall' | 'cpu') =>
  Array.from({ length: a.rounds }, (_, r) => {
    const at = (prefix: string) => Math.max(...[...m].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v[r]?.[key] ?? NaN));
    return at('glyphlab') / at('pytorch');
  }).filter(Number.isFinite);
const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const perRound = roundRatios(train, 'wall');
const summary = {
  backend: info.name,
  size: a.size,
  batch: a.batch,
  samples: a.samples,
  data: data.source,
  trainRatioWall: +ratio(train, 'wall').toFixed(2),
  trainRatioCpu: +ratio(train, 'cpu').toFixed(2),
  trainRatioWallPerRound: perRound.map((x) => +x.toFixed(2)),
  trainRatioWallMedian: +median(perRound).toFixed(2),
  inferRatioWall: +ratio(infer, 'wall').toFixed(2),
  inferRatioCpu: +ratio(infer, 'cpu').toFixed(2),
  ortSkipped,
  runs: { train: Object.fromEntries(train), infer: Object.fromEntries(infer) },
};
console.log(`\nTRAIN glyphlab/PyTorch (best vs best): ${summary.trainRatioWall}x wall, ${summary.trainRatioCpu}x per CPU-second (target >= 1.0, goal 1.5)`);
console.log(`TRAIN per round (wall, vs that round's best PyTorch): ${summary.trainRatioWallPerRound.join(', ')}; median ${summary.trainRatioWallMedian}x`);
console.log(`INFER glyphlab/PyTorch (best vs best): ${summary.inferRatioWall}x wall, ${summary.inferRatioCpu}x per CPU-second (target >= 2, goal 4)${ortSkipped ? ` [onnxruntime skipped: ${ortSkipped}]` : ''}`);
console.log(`load average at the end: ${load()}`);
if (a.json) console.log(`RESULT ${JSON.stringify(summary)}`);
if (a.profile) printProfile(await profileStep(model, data, a.batch, a.classes));
model.dispose();
process.exit(0);
