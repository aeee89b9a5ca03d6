import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { buildModel } from '../../../main/core/ml/model';
import { exportOnnx, exportOnnxToDir } from '../../../main/core/ml/onnx/export';
import { onnx } from '../../../main/core/ml/onnx/proto';
import { verifyOnnx } from '../../../main/core/ml/onnx/verify';
import { saveLayersModel } from '../../../main/core/models/model-files';
import { ensureTfjsBackend } from '../../../main/core/ml/inference/tfjs-backend';
import fs from 'node:fs';
import { MODEL_FILES } from '../../../main/core/ml/inference/model-files';
import { randomPixels } from './onnx-fixtures';

const tmp = tmpDir();
afterAll(() => tmp.cleanup());

/** Deterministic weights; batch-norm statistics far from identity (variance > 0), so folding them matters. */
function setWeights(model: tf.LayersModel, seed: number): void {
  let s = seed;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  model.setWeights(
    model.weights.map((w) => {
      const leaf = w.originalName.split('/').pop();
      const shape = w.shape as number[];
      const v = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
        leaf === 'moving_variance' ? 0.2 + Math.abs(rnd()) * 2 : leaf === 'gamma' ? 0.5 + Math.abs(rnd()) : rnd() * 0.3,
      );
      return tf.tensor(v, shape);
    }),
  );
}

async function bnModelDir(name: string, config: Record<string, unknown>, seed: number) {
  await ensureTfjsBackend();
  const model = buildModel({ inputSize: 28, ...config }, 36);
  setWeights(model, seed);
  const dir = path.join(tmp.dir, name);
  await saveLayersModel(model, dir);
  fs.writeFileSync(path.join(dir, MODEL_FILES.metadata), JSON.stringify({ classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', inputSize: 28 }));
  exportOnnxToDir(model, dir);
  return { model, dir };
}

describe('batch-normalized networks and their ONNX export', () => {
  it('builds conv (no bias) -> batch norm -> ReLU per convolution, two per block when asked', () => {
    const m = buildModel({ filters: [8, 16], dense: [32], batchNorm: true, convsPerBlock: 2 }, 36);
    const names = m.layers.map((l) => l.name);
    expect(names.slice(0, 7)).toEqual(['conv1', 'conv1_bn', 'conv1_relu', 'conv1b', 'conv1b_bn', 'conv1b_relu', 'pool1']);
    expect(m.getLayer('conv1').getWeights()).toHaveLength(1); // kernel only: the batch norm's beta is the bias
    expect(buildModel({ filters: [8] }, 36).layers.map((l) => l.name)).toEqual(['conv1', 'pool1', 'flatten', 'dense1', 'dropout1', 'dense2', 'dropout2', 'output']);
    m.dispose();
  });

  for (const convsPerBlock of [1, 2]) {
    it(`onnxruntime gives tfjs's inference probabilities (${convsPerBlock} conv per block), with no BatchNormalization node`, async () => {
      const { model, dir } = await bnModelDir(`bn${convsPerBlock}`, { filters: [8, 16, 24], dense: [32], batchNorm: true, convsPerBlock }, 3 + convsPerBlock);
      const n = 48;
      const v = await verifyOnnx(dir, randomPixels(n, 28, 5));
      expect(v).toMatchObject({ n, agree: n, ok: true });
      expect(v.maxAbsDiff).toBeLessThan(1e-4);
      const ops = onnx.ModelProto.decode(exportOnnx(model)).graph!.node!.map((x) => x.opType);
      expect(ops).not.toContain('BatchNormalization');
      expect(ops.filter((o) => o === 'Conv')).toHaveLength(3 * convsPerBlock);
      model.dispose();
    });
  }

  it('folding matters: the same export without the batch norm disagrees with tfjs', async () => {
    const { model } = await bnModelDir('bnfold', { filters: [8, 16], dense: [], dropout: 0, batchNorm: true }, 9);
    const n = 16;
    const px = randomPixels(n, 28, 6);
    const ref = tf.tidy(() => (model.predict(tf.tensor4d(px, [n, 28, 28, 1])) as tf.Tensor).dataSync());
    // Statistics set to identity (mean 0, var 1 - eps, gamma 1, beta 0): the folded export equals the plain net.
    const bn = model.getLayer('conv1_bn');
    const eps = (bn.getConfig() as { epsilon: number }).epsilon;
    const [g, b, mu, v] = bn.getWeights();
    bn.setWeights([tf.onesLike(g!), tf.zerosLike(b!), tf.zerosLike(mu!), tf.fill(v!.shape, 1 - eps)]);
    const changed = tf.tidy(() => (model.predict(tf.tensor4d(px, [n, 28, 28, 1])) as tf.Tensor).dataSync());
    let diff = 0;
    for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(ref[i]! - changed[i]!));
    expect(diff).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
