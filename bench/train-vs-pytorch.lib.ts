/**
 * Shared parts of bench/train-vs-pytorch.ts and bench/infer-vs-pytorch.ts: data, the glyphlab (tfjs)
 * side, onnxruntime inference, and the PyTorch side (bench/train-vs-pytorch.py under Debian's python3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendPreference } from '../main/core/ml/backends';
import { buildModel, type ModelConfig, modelConfigSchema } from '../main/core/ml/model';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const PYTHON = process.env.GLYPHLAB_TORCH_PYTHON ?? '/usr/bin/python3';

export interface BenchArgs {
  size: number;
  batch: number;
  samples: number;
  rounds: number;
  classes: number;
  data: 'random' | 'emnist';
  backend: BackendPreference;
  torchThreads: number[];
  inferSamples: number;
  inferBatch: number;
  json: boolean;
  profile: boolean;
  /** Also train data-parallel over this many worker threads (0: off). */
  replicas: number;
}

export function parseArgs(argv: string[]): BenchArgs {
  const get = (name: string, dflt: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[i + 1]! : i >= 0 ? 'true' : dflt;
  };
  const data = get('data', 'random');
  if (data !== 'random' && data !== 'emnist') throw new Error(`--data must be random or emnist, got ${data}`);
  return {
    size: +get('size', '28'),
    batch: +get('batch', '64'),
    samples: +get('samples', '2048'),
    rounds: +get('rounds', '2'),
    classes: +get('classes', '36'),
    data,
    backend: get('backend', 'auto') as BackendPreference,
    torchThreads: get('torch-threads', '1,2').split(',').map(Number),
    inferSamples: +get('infer-samples', '8192'),
    inferBatch: +get('infer-batch', '256'),
    json: get('json', 'false') === 'true',
    profile: get('profile', 'false') === 'true',
    replicas: +get('replicas', '0'),
  };
}

export interface BenchData {
  x: Float32Array; // [n, size, size, 1] in [0,1]
  y: Int32Array;
  n: number;
  size: number;
  source: string;
}

/** Random pixels/labels, or the first n EMNIST test images (28 px only). */
export function makeData(n: number, size: number, classes: number, source: 'random' | 'emnist', seed = 1): BenchData {
  if (source === 'emnist') {
    const dir = path.resolve(ROOT, '../shared/data/emnist36');
    if (!existsSync(dir)) throw new Error(`--data emnist: ${dir} not found`);
    if (size !== 28) throw new Error('--data emnist needs --size 28');
    const imgs = gunzipSync(readFileSync(path.join(dir, 'train-images-idx3-ubyte.gz')));
    const labs = gunzipSync(readFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz')));
    const total = imgs.readUInt32BE(4);
    const m = Math.min(n, total);
    const x = new Float32Array(n * 784);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % m;
      for (let p = 0; p < 784; p++) x[i * 784 + p] = imgs[16 + k * 784 + p]! / 255;
      y[i] = labs[8 + k]! % classes;
    }
    return { x, y, n, size, source: 'emnist36 train' };
  }
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float32Array(n * size * size).map(rnd);
  const y = Int32Array.from({ length: n }, () => Math.floor(rnd() * classes));
  return { x, y, n, size, source: 'random' };
}

export function benchConfig(a: BenchArgs): ModelConfig {
  return modelConfigSchema.parse({ inputSize: a.size, batchSize: a.batch });
}

/** One training step as the training loop does it (optimizer.minimize over model.apply). */
export function trainStep(model: tf.LayersModel, x: Float32Array, y: Int32Array, size: number, classes: number): tf.Scalar {
  return tf.tidy(() => {
    const n = y.length;
    const xs = tf.tensor4d(x, [n, size, size, 1]);
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat();
    return model.optimizer.minimize(() => {
      const p = model.apply(xs, { training: true }) as tf.Tensor2D;
      return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tf.Scalar;
    }, true) as tf.Scalar;
  });
}

export interface TrainResult {
  engine: string;
  samplesPerSec: number;
  /** Samples per second of this process's CPU time (all threads): robust to a loaded machine. */
  samplesPerCpuSec: number;
  loss: number;
}

/** Process CPU time (user + system, all threads) in seconds. */
export const cpuSec = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** Trains `samples` samples in batches (after 2 warm-up batches) and returns samples/s. */
export async function tfjsTrain(model: tf.LayersModel, d: BenchData, batch: number, classes: number): Promise<TrainResult> {
  const px = d.size * d.size;
  const slice = (i: number, m: number) => [d.x.subarray(i * px, (i + m) * px), d.y.subarray(i, i + m)] as const;
  for (let w = 0; w < 2; w++) {
    const [x, y] = slice(0, Math.min(batch, d.n));
    tf.dispose(trainStep(model, x, y, d.size, classes));
  }
  let loss = NaN;
  const t0 = performance.now();
  const c0 = cpuSec();
  for (let i = 0; i < d.n; i += batch) {
    const m = Math.min(batch, d.n - i);
    const [x, y] = slice(i, m);
    const l = trainStep(model, x, y, d.size, classes);
    loss = (await l.data())[0]!;
    l.dispose();
  }
  const sec = (performance.now() - t0) / 1000;
  return { engine: `glyphlab tfjs-${tf.getBackend()}`, samplesPerSec: d.n / sec, samplesPerCpuSec: d.n / (cpuSec() - c0), loss };
}

export async function setupTfjs(a: BenchArgs) {
  const info = await initBackend(a.backend);
  const model = buildModel(benchConfig(a), a.classes);
  return { info, model };
}

/** tfjs predict throughput (batches of inferBatch). */
export async function tfjsInfer(model: tf.LayersModel, d: BenchData, inferBatch: number): Promise<number> {
  const px = d.size * d.size;
  const run = async (i: number, m: number) => {
    const y = tf.tidy(() => model.predict(tf.tensor4d(d.x.subarray(i * px, (i + m) * px), [m, d.size, d.size, 1])) as tf.Tensor);
    await y.data();
    y.dispose();
  };
  await run(0, Math.min(inferBatch, d.n));
  const t0 = performance.now();
  for (let i = 0; i < d.n; i += inferBatch) await run(i, Math.min(inferBatch, d.n - i));
  return d.n / ((performance.now() - t0) / 1000);
}

/** onnxruntime-node throughput on the model exported by the ONNX module (null with the reason if unavailable). */
export async function ortInfer(
  model: tf.LayersModel,
  d: BenchData,
  inferBatch: number,
  threads: number,
): Promise<{ samplesPerSec: number } | { skipped: string }> {
  let exportOnnx: (m: tf.LayersModel) => Uint8Array;
  let ort: typeof import('onnxruntime-node');
  try {
    ({ exportOnnx } = await import('../main/core/ml/onnx/export'));
    ort = await import('onnxruntime-node');
  } catch (e) {
    return { skipped: `ONNX export or onnxruntime-node unavailable: ${(e as Error).message.split('\n')[0]}` };
  }
  const session = await ort.InferenceSession.create(exportOnnx(model), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const px = d.size * d.size;
  const input = session.inputNames[0]!;
  const run = async (i: number, m: number) => {
    const x = new ort.Tensor('float32', d.x.subarray(i * px, (i + m) * px), [m, d.size, d.size, 1]);
    await session.run({ [input]: x });
  };
  await run(0, Math.min(inferBatch, d.n));
  const t0 = performance.now();
  for (let i = 0; i < d.n; i += inferBatch) await run(i, Math.min(inferBatch, d.n - i));
  const sps = d.n / ((performance.now() - t0) / 1000);
  await session.release();
  return { samplesPerSec: sps };
}

export interface TorchResult {
  threads: number;
  trainSamplesPerSec: number;
  trainSamplesPerCpuSec: number;
  inferSamplesPerSec: number;
  inferSamplesPerCpuSec: number;
  finalLoss: number;
  engine: string;
}

/** Writes the data where the Python side reads it (x float32, y int32). Returns a cleanup. */
export function shareData(d: BenchData, infer: BenchData): { prefix: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'glyphlab-bench-'));
  const prefix = path.join(dir, 'data');
  const bytes = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(`${prefix}.x.f32`, bytes(d.x));
  writeFileSync(`${prefix}.y.i32`, bytes(d.y));
  writeFileSync(`${prefix}-infer.x.f32`, bytes(infer.x));
  return { prefix, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function torchRun(a: BenchArgs, threads: number, dataPrefix: string, mode: 'train' | 'infer' | 'both'): TorchResult {
  const script = path.join(ROOT, 'bench/train-vs-pytorch.py');
  const args = [
    script,
    '--threads', String(threads),
    '--size', String(a.size),
    '--batch', String(a.batch),
    '--samples', String(a.samples),
    '--classes', String(a.classes),
    '--infer-samples', String(a.inferSamples),
    '--infer-batch', String(a.inferBatch),
    '--data', dataPrefix,
    '--mode', mode,
  ];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} ${script} failed: ${r.stderr || r.error?.message}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TorchResult;
}

export function torchAvailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} has no torch/numpy (${(r.stderr || '').trim().split('\n').pop()})`;
}

export const fmt = (v: number) => v.toFixed(1).padStart(9);

/** Builds the replica worker from source (so the bench measures the current code) next to node_modules. */
export async function buildReplicaWorker(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(ROOT, 'node_modules/.cache/glyphlab-bench/replica.worker.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'bench/parallel/replica.worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

/** Data-parallel training throughput (same protocol as tfjsTrain: 2 warm-up batches first). */
export async function dpTrain(
  trainer: import('./parallel/data-parallel').DataParallelTrainer,
  d: BenchData,
  batch: number,
): Promise<TrainResult> {
  const px = d.size * d.size;
  for (let w = 0; w < 2; w++) await trainer.step(d.x.slice(0, batch * px), d.y.slice(0, batch));
  let loss = NaN;
  const t0 = performance.now();
  const c0 = cpuSec();
  for (let i = 0; i < d.n; i += batch) {
    const m = Math.min(batch, d.n - i);
    loss = (await trainer.step(d.x.subarray(i * px, (i + m) * px), d.y.subarray(i, i + m))).loss;
  }
  await trainer.flush();
  const sec = (performance.now() - t0) / 1000;
  return {
    engine: `glyphlab tfjs-${trainer.backend.name} x${trainer.replicas} replicas`,
    samplesPerSec: d.n / sec,
    samplesPerCpuSec: d.n / (cpuSec() - c0),
    loss,
  };
}
