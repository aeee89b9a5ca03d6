/**
 * The character classifier every consumer uses (OCR, evaluation, predictions for the dataset's
 * confidence filters). Load one with `loadClassifier(modelDir)` from `./load`.
 *
 * Input convention (the same as training): `pixels` holds `n` images one after another, each
 * `inputSize × inputSize` row-major floats in [0, 1], white ink (1) on black (0), already normalized
 * exactly as training data is (see `normalizeGlyph`). NHWC with one channel, so no channel axis.
 */
export type InferenceRuntime = 'onnxruntime' | 'tfjs';

export interface Prediction {
  /** One class character from `Classifier.classes`. */
  label: string;
  /** Softmax probability, 0..1. */
  confidence: number;
}

export interface Classification {
  /** Softmax outputs, `n × classes.length`, row i = image i. */
  probs: Float32Array;
  /** The k most probable classes of image i, most probable first. */
  top(i: number, k: number): Prediction[];
  /** Index of the most probable class of image i (ties: lowest index). */
  argmax(i: number): number;
}

export interface Classifier {
  /** The class set: one character per class, index = output unit. */
  readonly classes: string;
  /** Side of the square input image in pixels. */
  readonly inputSize: number;
  /** What runs the model: onnxruntime-node (fast) or TensorFlow.js (fallback). */
  readonly runtime: InferenceRuntime;
  /** Why this runtime: e.g. "model.onnx missing", "onnxruntime-node failed to load: ...". */
  readonly reason: string;
  /**
   * Classify `n` images (see the input convention above). Any n ≥ 0: large inputs are run in
   * batches internally. Rejects with a GlyphError('bad_input') when `pixels.length` is not
   * `n × inputSize²`.
   */
  classify(pixels: Float32Array, n: number): Promise<Classification>;
  /** Free the session or model. The classifier must not be used afterwards. */
  dispose(): Promise<void>;
}

export interface LoadClassifierOptions {
  /** Preferred runtime; default 'onnx' (falls back to tfjs when model.onnx is missing or ORT fails). */
  prefer?: 'onnx' | 'tfjs';
  /** onnxruntime intra-op threads (default 1: measured fastest on the shared 2-core machine). */
  threads?: number;
  /** Images per internal batch (default 256). */
  maxBatch?: number;
}
