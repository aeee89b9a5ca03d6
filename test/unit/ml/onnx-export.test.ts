import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { exportOnnx, permuteRowsNhwcToNchw } from '../../../main/core/ml/onnx/export';
import { onnx } from '../../../main/core/ml/onnx/proto';
import { verifyOnnx } from '../../../main/core/ml/onnx/verify';
import { loadClassifier } from '../../../main/core/ml/inference/load';
import { randomPixels, writeRandomModelDir } from './onnx-fixtures';

const tmp = tmpDir();
afterAll(() => tmp.cleanup());

describe('ONNX export of the glyphlab CNN', () => {
  for (const inputSize of [28, 32]) {
    it(`onnxruntime agrees with tfjs at input size ${inputSize}`, async () => {
      const dir = path.join(tmp.dir, `m${inputSize}`);
      const { model } = await writeRandomModelDir(dir, { inputSize, seed: inputSize });
      const n = 64;
      const pixels = randomPixels(n, inputSize, inputSize);
      const v = await verifyOnnx(dir, pixels);
      expect(v.n).toBe(n);
      expect(v.agree).toBe(n);
      expect(v.maxAbsDiff).toBeLessThan(1e-4);
      expect(v.ok).toBe(true);

      // Also against tfjs predict directly (not through the classifier wrapper).
      const ort = await loadClassifier(dir);
      expect(ort.runtime).toBe('onnxruntime');
      const result = await ort.classify(pixels, n);
      const got = result.probs;
      const ref = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [n, inputSize, inputSize, 1])) as tf.Tensor).dataSync());
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - got[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
      // The outputs are not degenerate (different images get different top classes).
      const tops = new Set(Array.from({ length: n }, (_, i) => result.argmax(i)));
      expect(tops.size).toBeGreaterThan(1);
      await ort.dispose();
    });
  }

  it('agrees for other depths: one 5x5 conv block, no hidden dense layer, no dropout', async () => {
    const dir = path.join(tmp.dir, 'shallow');
    await writeRandomModelDir(dir, { inputSize: 20, classes: 'abcdef', seed: 4, config: { filters: [6], kernelSize: 5, dense: [], dropout: 0 } });
    const v = await verifyOnnx(dir, randomPixels(32, 20, 2));
    expect(v).toMatchObject({ n: 32, agree: 32, ok: true });
  });

  it('decodes as a valid ONNX model with NHWC input, opset 13 and no Dropout', async () => {
    const { model } = await writeRandomModelDir(path.join(tmp.dir, 'decode'), { inputSize: 28, onnx: false });
    const decoded = onnx.ModelProto.decode(exportOnnx(model, { classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' }));
    expect(Number(decoded.opsetImport[0]?.version)).toBe(13);
    const input = decoded.graph!.input![0]!;
    expect(input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 28, 28, 1]);
    const ops = decoded.graph!.node!.map((n) => n.opType);
    expect(ops).not.toContain('Dropout');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(3);
    expect(ops.at(-1)).toBe('Softmax');
    expect(decoded.metadataProps.find((p) => p.key === 'classes')?.value).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });

  it('permutes Dense rows from NHWC flatten order to NCHW', () => {
    // C=2, H=1, W=2, units=1: NHWC rows (h,w,c) = (0,0,0),(0,0,1),(0,1,0),(0,1,1) -> values 0,1,2,3.
    const k = Float32Array.from([0, 1, 2, 3]);
    // NCHW order (c,h,w): (0,0,0)=0,(0,0,1)=2,(1,0,0)=1,(1,0,1)=3
    expect(Array.from(permuteRowsNhwcToNchw(k, [2, 1, 2], 1))).toEqual([0, 2, 1, 3]);
  });

  it('rejects layers it cannot express, naming the layer', async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'c1' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.batchNormalization({ name: 'bn' }));
    m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    expect(() => exportOnnx(m)).toThrow(/bn: batch normalization must follow a Conv2D/);
    m.dispose();
  });

  it('verifyOnnx fails clearly when model.onnx is absent', async () => {
    const dir = path.join(tmp.dir, 'noonnx');
    await writeRandomModelDir(dir, { onnx: false });
    expect(fs.existsSync(path.join(dir, 'model.onnx'))).toBe(false);
    await expect(verifyOnnx(dir, 4)).rejects.toThrow(/model\.onnx/);
  });
});
