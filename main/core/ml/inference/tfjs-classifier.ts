import * as tf from '@tensorflow/tfjs';
import { checkPixels, makeClassification } from './classification';
import { ensureTfjsBackend } from './tfjs-backend';
import { loadLayersModelFromDir } from './tfjs-files';
import type { Classifier, Classification } from './types';

/** TensorFlow.js runtime: works everywhere (wasm backend in Node), several times slower than ORT. */
export async function loadTfjsClassifier(
  modelDir: string,
  meta: { classes: string; inputSize: number },
  reason: string,
  maxBatch = 256,
): Promise<Classifier> {
  const backend = await ensureTfjsBackend();
  const model = await loadLayersModelFromDir(modelDir);
  const { classes, inputSize } = meta;
  const numClasses = [...classes].length;
  return {
    classes,
    inputSize,
    runtime: 'tfjs',
    reason: `${reason} (tfjs backend: ${backend})`,
    async classify(pixels: Float32Array, n: number): Promise<Classification> {
      checkPixels(pixels, n, inputSize);
      const probs = new Float32Array(n * numClasses);
      const px = inputSize * inputSize;
      for (let start = 0; start < n; start += maxBatch) {
        const m = Math.min(maxBatch, n - start);
        const out = tf.tidy(() => {
          const x = tf.tensor4d(pixels.subarray(start * px, (start + m) * px), [m, inputSize, inputSize, 1]);
          return model.predict(x) as tf.Tensor;
        });
        try {
          probs.set((await out.data()) as Float32Array, start * numClasses);
        } finally {
          out.dispose();
        }
      }
      return makeClassification(probs, classes);
    },
    async dispose() {
      model.dispose();
    },
  };
}
