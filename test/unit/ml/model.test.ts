import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { buildModel, DEFAULT_MODEL_CONFIG, featureSide, modelConfigSchema } from '../../../main/core/ml/model';
import { cpuReference, relDiff, values } from './kernels-fixtures';

const small = { inputSize: 16, filters: [4, 8, 8], dense: [16, 8], dropout: 0 };

/** Gradients of the loss w.r.t. every weight for fixed weights and data, on a backend. */
async function gradientsOn(backend: string, weights: Float32Array[], x: Float32Array, y: Float32Array, n: number) {
  await tf.setBackend(backend);
  const model = buildModel(small, 5);
  model.setWeights(model.weights.map((w, i) => tf.tensor(weights[i]!, w.shape as number[])));
  const { grads } = tf.variableGrads(() => {
    const xs = tf.tensor4d(x, [n, 16, 16, 1]);
    const ys = tf.tensor2d(y, [n, 5]);
    const p = model.apply(xs, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(ys, tf.log(p.clipByValue(1e-7, 1))).asScalar();
  });
  const out = model.trainableWeights.map((w) => grads[w.name]!.dataSync() as Float32Array);
  tf.dispose(Object.values(grads));
  model.dispose();
  return out;
}

describe('model', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

  it('has stable layer names and the documented architecture', () => {
    const m = buildModel({}, 36);
    expect(m.layers.map((l) => l.name)).toEqual([
      'conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'pool3', 'flatten',
      'dense1', 'dropout1', 'dense2', 'dropout2', 'output',
    ]);
    expect(m.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(m.outputs[0]!.shape).toEqual([null, 36]);
    expect(m.getLayer('flatten').outputShape).toEqual([null, featureSide(DEFAULT_MODEL_CONFIG) ** 2 * 128]);
    m.dispose();
  });

  it('validates its configuration', () => {
    expect(modelConfigSchema.parse({})).toEqual(DEFAULT_MODEL_CONFIG);
    expect(() => modelConfigSchema.parse({ kernelSize: 4 })).toThrow(/odd/);
    expect(() => modelConfigSchema.parse({ dropout: 1.5 })).toThrow();
    expect(() => buildModel({ inputSize: 8, filters: [4, 4, 4, 4] }, 3)).toThrow(/too small/);
    expect(() => buildModel({}, 1)).toThrow(/numClasses/);
  });

  it('gives the same gradients on wasm (project kernels) as on cpu', async () => {
    await tf.setBackend('cpu');
    const ref = buildModel(small, 5);
    const weights = ref.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    ref.dispose();
    const n = 6;
    const x = values(n * 16 * 16, 11).map((v) => Math.max(0, v));
    const y = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) y[i * 5 + (i % 5)] = 1;
    const gCpu = await gradientsOn('cpu', weights, x, y, n);
    const gWasm = await gradientsOn('wasm', weights, x, y, n);
    expect(gWasm.length).toBe(weights.length);
    gCpu.forEach((g, i) => expect(relDiff(g, gWasm[i]!), `weight ${i}`).toBeLessThan(1e-4));
  });

  it('keeps the tensor count stable over training steps on wasm', async () => {
    await tf.setBackend('wasm');
    const m = buildModel({ ...small, dropout: 0.3 }, 5);
    const xs = tf.tensor4d(values(8 * 256, 3).map(Math.abs), [8, 16, 16, 1]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'), 5).toFloat();
    await m.trainOnBatch(xs, ys);
    const after1 = tf.memory().numTensors;
    const data1 = tf.engine().backend.numDataIds();
    let loss = NaN;
    for (let i = 0; i < 4; i++) {
      const r = await m.trainOnBatch(xs, ys);
      loss = Array.isArray(r) ? r[0]! : r;
    }
    expect(Number.isFinite(loss)).toBe(true);
    expect(tf.memory().numTensors).toBe(after1);
    expect(tf.engine().backend.numDataIds()).toBe(data1);
    tf.dispose([xs, ys]);
    m.dispose();
  });
});
