import { GlyphError } from '../../../common/errors';
import { nativeCall } from '../../native-calls';
import { checkPixels, makeClassification } from './classification';
import type { Classifier, Classification } from './types';

type Ort = typeof import('onnxruntime-node');

let ortModule: Promise<Ort> | null = null;
/** onnxruntime-node, loaded once (a native addon: may be missing on some platforms). */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

/**
 * Session options for a small CNN on a 2-core machine shared with the UI and training: one
 * intra-op thread measured as fast as two (the batch is the parallelism) and leaves a core free.
 */
export function sessionOptions(threads = 1) {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all' as const,
    executionMode: 'sequential' as const,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  };
}

/** onnxruntime-node runtime over `onnxFile` (input `input` [N,H,W,1], output `output` [N,C]). */
export async function loadOnnxClassifier(
  onnxFile: string,
  meta: { classes: string; inputSize: number },
  opts: { threads?: number; maxBatch?: number } = {},
): Promise<Classifier> {
  const ort = await loadOrt();
  let session: import('onnxruntime-node').InferenceSession;
  try {
    session = await nativeCall(() => ort.InferenceSession.create(onnxFile, sessionOptions(opts.threads)));
  } catch (e) {
    throw new GlyphError('bad_input', `${onnxFile}: onnxruntime cannot load it: ${(e as Error).message}`);
  }
  const { classes, inputSize } = meta;
  const numClasses = [...classes].length;
  const inputName = session.inputNames[0] ?? 'input';
  const outputName = session.outputNames[0] ?? 'output';
  const maxBatch = opts.maxBatch ?? 256;
  checkShapes(session, onnxFile, inputSize, numClasses);
  return {
    classes,
    inputSize,
    runtime: 'onnxruntime',
    reason: `onnxruntime-node ${ort.env.versions?.node ?? ''}`.trim(),
    async classify(pixels: Float32Array, n: number): Promise<Classification> {
      checkPixels(pixels, n, inputSize);
      const probs = new Float32Array(n * numClasses);
      const px = inputSize * inputSize;
      for (let start = 0; start < n; start += maxBatch) {
        const m = Math.min(maxBatch, n - start);
        const x = new ort.Tensor('float32', pixels.subarray(start * px, (start + m) * px), [m, inputSize, inputSize, 1]);
        const out = await nativeCall(() => session.run({ [inputName]: x }));
        const y = out[outputName];
        if (!y || y.data.length !== m * numClasses) {
          throw new GlyphError('internal', `${onnxFile}: output has ${y?.data.length ?? 0} values, expected ${m}×${numClasses}`);
        }
        probs.set(y.data as Float32Array, start * numClasses);
      }
      return makeClassification(probs, classes);
    },
    async dispose() {
      await nativeCall(() => session.release());
    },
  };
}

/** The file must take [N, size, size, 1] and give [N, classes]: a stale model.onnx is refused (tfjs takes over). */
function checkShapes(session: import('onnxruntime-node').InferenceSession, file: string, size: number, numClasses: number): void {
  const shapeOf = (m: unknown): readonly (number | string)[] | null =>
    m && typeof m === 'object' && 'shape' in m && Array.isArray((m as { shape: unknown }).shape) ? (m as { shape: (number | string)[] }).shape : null;
  const input = shapeOf(session.inputMetadata?.[0]);
  const output = shapeOf(session.outputMetadata?.[0]);
  const fixed = (s: readonly (number | string)[]) => s.slice(1).map((d) => (typeof d === 'number' ? d : -1));
  if (input && input.length && fixed(input).join() !== [size, size, 1].join()) {
    void session.release();
    throw new GlyphError('bad_input', `${file}: input shape [${input}] does not match metadata.json (inputSize ${size}, NHWC)`);
  }
  if (output && output.length && fixed(output).join() !== String(numClasses)) {
    void session.release();
    throw new GlyphError('bad_input', `${file}: output shape [${output}] does not match the ${numClasses} classes of metadata.json`);
  }
}
