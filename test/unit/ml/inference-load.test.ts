import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { loadClassifier } from '../../../main/core/ml/inference/load';
import { makeClassification } from '../../../main/core/ml/inference/classification';
import { randomPixels, writeRandomModelDir } from './onnx-fixtures';

const tmp = tmpDir();
let withOnnx: string;
let withoutOnnx: string;
const classes = 'ABCDE';

beforeAll(async () => {
  withOnnx = path.join(tmp.dir, 'with');
  withoutOnnx = path.join(tmp.dir, 'without');
  await writeRandomModelDir(withOnnx, { inputSize: 28, classes, seed: 3 });
  fs.cpSync(withOnnx, withoutOnnx, { recursive: true });
  fs.rmSync(path.join(withoutOnnx, 'model.onnx'));
});
afterAll(() => tmp.cleanup());

describe('loadClassifier', () => {
  it('uses onnxruntime when model.onnx exists', async () => {
    const c = await loadClassifier(withOnnx);
    expect(c.runtime).toBe('onnxruntime');
    expect(c.classes).toBe(classes);
    expect(c.inputSize).toBe(28);
    await c.dispose();
  });

  it('falls back to tfjs when model.onnx is absent, says why, and gives the same answers', async () => {
    const tfc = await loadClassifier(withoutOnnx);
    expect(tfc.runtime).toBe('tfjs');
    expect(tfc.reason).toMatch(/model\.onnx missing/);
    const ort = await loadClassifier(withOnnx);
    const n = 10;
    const px = randomPixels(n, 28, 11);
    const a = await tfc.classify(px, n);
    const b = await ort.classify(px, n);
    for (let i = 0; i < n; i++) expect(a.top(i, 1)[0]!.label).toBe(b.top(i, 1)[0]!.label);
    await tfc.dispose();
    await ort.dispose();
  });

  it('falls back to tfjs when onnxruntime cannot load model.onnx', async () => {
    const dir = path.join(tmp.dir, 'corrupt');
    fs.cpSync(withOnnx, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'model.onnx'), Buffer.from('not an onnx model'));
    const c = await loadClassifier(dir);
    expect(c.runtime).toBe('tfjs');
    expect(c.reason).toMatch(/onnxruntime failed/);
    await c.dispose();
  });

  it('falls back to tfjs when model.onnx does not match metadata.json (stale export)', async () => {
    const dir = path.join(tmp.dir, 'stale');
    fs.cpSync(withOnnx, dir, { recursive: true });
    const other = path.join(tmp.dir, 'other32');
    await writeRandomModelDir(other, { inputSize: 32, classes, seed: 1 });
    fs.copyFileSync(path.join(other, 'model.onnx'), path.join(dir, 'model.onnx'));
    const c = await loadClassifier(dir);
    expect(c.runtime).toBe('tfjs');
    expect(c.reason).toMatch(/input shape/);
    await c.dispose();
  });

  it('honours prefer: tfjs', async () => {
    const c = await loadClassifier(withOnnx, { prefer: 'tfjs' });
    expect(c.runtime).toBe('tfjs');
    await c.dispose();
  });

  it('classifies in internal batches and returns softmax rows', async () => {
    const c = await loadClassifier(withOnnx, { maxBatch: 7 });
    const n = 20;
    const r = await c.classify(randomPixels(n, 28, 5), n);
    expect(r.probs).toHaveLength(n * classes.length);
    for (let i = 0; i < n; i++) {
      const row = r.probs.subarray(i * 5, i * 5 + 5);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
      const top = r.top(i, 3);
      expect(top).toHaveLength(3);
      expect(top[0]!.confidence).toBeGreaterThanOrEqual(top[1]!.confidence);
      expect(top[0]!.label).toBe(classes[r.argmax(i)]);
    }
    const empty = await c.classify(new Float32Array(0), 0);
    expect(empty.probs).toHaveLength(0);
    await c.dispose();
  });

  it('rejects pixels of the wrong length with a bad_input error', async () => {
    const c = await loadClassifier(withOnnx);
    await expect(c.classify(new Float32Array(28 * 28 + 1), 1)).rejects.toMatchObject({ type: 'bad_input' });
    await c.dispose();
  });

  it('names the missing or broken file of a bad model folder', async () => {
    await expect(loadClassifier(path.join(tmp.dir, 'nope'))).rejects.toMatchObject({ type: 'not_found' });
    const dir = path.join(tmp.dir, 'badmeta');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'metadata.json'), '{"classes": "A", "inputSize": 28}');
    await expect(loadClassifier(dir)).rejects.toThrow(/metadata\.json.*classes/);
    fs.writeFileSync(path.join(dir, 'metadata.json'), '{"classes": "AB", "inputSize": 28}');
    await expect(loadClassifier(dir)).rejects.toThrow(/model\.json: missing/);
  });
});

describe('makeClassification', () => {
  it('orders top-k by probability and breaks ties by class order', () => {
    const r = makeClassification(Float32Array.from([0.1, 0.6, 0.3, 0.25, 0.25, 0.5]), 'XYZ');
    expect(r.top(0, 2)).toEqual([
      { label: 'Y', confidence: expect.closeTo(0.6, 6) },
      { label: 'Z', confidence: expect.closeTo(0.3, 6) },
    ]);
    expect(r.top(1, 5).map((p) => p.label)).toEqual(['Z', 'X', 'Y']);
    expect(r.argmax(1)).toBe(2);
    expect(() => r.top(2, 1)).toThrow(RangeError);
  });
});
