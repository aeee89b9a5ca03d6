/**
 * Inference speed of glyphlab (onnxruntime-node on the model the ONNX module exports; tfjs for
 * reference) vs PyTorch CPU, same CNN, batch and data.
 *
 *   nice -n 10 npx vite-node bench/infer-vs-pytorch.ts [--size 28] [--infer-batch 256] [--infer-samples 8192] [--rounds 3]
 */
import * as tf from '@tensorflow/tfjs';
import { fmt, makeData, ortInfer, parseArgs, setupTfjs, shareData, tfjsInfer, torchAvailable, torchRun } from './train-vs-pytorch.lib';

const a = parseArgs(['--rounds', '3', ...process.argv.slice(2)]);
const noTorch = torchAvailable();
if (noTorch) {
  console.error(`PyTorch side unavailable: ${noTorch}`);
  process.exit(2);
}
const inferData = makeData(a.inferSamples, a.size, a.classes, 'random', 7);
const shared = shareData(makeData(a.batch, a.size, a.classes, 'random'), inferData);
const { model } = await setupTfjs(a);
const runs = new Map<string, number[]>();
const push = (k: string, v: number) => runs.set(k, [...(runs.get(k) ?? []), v]);
try {
  for (let r = 0; r < a.rounds; r++) {
    for (const th of a.torchThreads) push(`pytorch(${th})`, torchRun(a, th, shared.prefix, 'infer').inferSamplesPerSec);
    for (const th of [1, 2]) {
      const o = await ortInfer(model, inferData, a.inferBatch, th);
      if ('skipped' in o) console.log(`onnxruntime skipped: ${o.skipped}`);
      else push(`glyphlab ort(${th})`, o.samplesPerSec);
    }
    push(`glyphlab tfjs-${tf.getBackend()}`, await tfjsInfer(model, inferData, a.inferBatch));
  }
} finally {
  shared.cleanup();
}
const best = (prefix: string) => Math.max(...[...runs].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v));
for (const [k, v] of runs) console.log(`  ${k.padEnd(24)}${fmt(Math.max(...v))} samples/s (best of ${v.length})`);
console.log(`INFER glyphlab/PyTorch: ${(best('glyphlab ort') / best('pytorch')).toFixed(2)}x (target >= 2, goal 4)`);
model.dispose();
process.exit(0);
