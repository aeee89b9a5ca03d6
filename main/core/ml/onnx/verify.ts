import path from 'node:path';
import { GlyphError } from '../../../common/errors';
import { MODEL_FILES, readModelMetadata } from '../inference/model-files';
import { loadOnnxClassifier } from '../inference/onnx-classifier';
import { loadTfjsClassifier } from '../inference/tfjs-classifier';

export interface OnnxVerification {
  /** Images compared. */
  n: number;
  /** Images whose top-1 class is the same in both runtimes. */
  agree: number;
  /** agree / n (1 when n = 0). */
  top1Agreement: number;
  /** Largest |p_onnx − p_tfjs| over every probability. */
  maxAbsDiff: number;
  /** All top-1 equal and maxAbsDiff ≤ tolerance. */
  ok: boolean;
}

/** Deterministic pseudo-random glyph-like inputs when no real samples are at hand. */
export function syntheticSamples(n: number, inputSize: number, seed = 1): Float32Array {
  const px = new Float32Array(n * inputSize * inputSize);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < px.length; i++) px[i] = rnd() < 0.25 ? rnd() : 0;
  return px;
}

/**
 * Runs the same images through `model.onnx` (onnxruntime) and the tfjs model of `modelDir` and
 * compares them: top-1 agreement and the largest probability difference. `samples` holds
 * n×size×size pixels as for `Classifier.classify`, or a count of synthetic images.
 */
export async function verifyOnnx(
  modelDir: string,
  samples: Float32Array | number,
  opts: { tolerance?: number } = {},
): Promise<OnnxVerification> {
  const meta = readModelMetadata(modelDir);
  const px = meta.inputSize * meta.inputSize;
  const pixels = typeof samples === 'number' ? syntheticSamples(samples, meta.inputSize) : samples;
  if (pixels.length % px !== 0) throw new GlyphError('bad_input', `verifyOnnx: ${pixels.length} pixels is not a whole number of ${meta.inputSize}×${meta.inputSize} images`);
  const n = pixels.length / px;
  const ort = await loadOnnxClassifier(path.join(modelDir, MODEL_FILES.onnx), meta);
  const tfc = await loadTfjsClassifier(modelDir, meta, 'verification');
  try {
    const a = await ort.classify(pixels, n);
    const b = await tfc.classify(pixels, n);
    let maxAbsDiff = 0;
    for (let i = 0; i < a.probs.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a.probs[i]! - b.probs[i]!));
    let agree = 0;
    for (let i = 0; i < n; i++) if (a.argmax(i) === b.argmax(i)) agree++;
    const tolerance = opts.tolerance ?? 1e-4;
    return { n, agree, top1Agreement: n ? agree / n : 1, maxAbsDiff, ok: agree === n && maxAbsDiff <= tolerance };
  } finally {
    await ort.dispose();
    await tfc.dispose();
  }
}
