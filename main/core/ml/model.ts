import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { FusedAdam } from './adam';
import { fastBatchNorm } from './batch-norm';

/**
 * The character recognizer: a small VGG-like CNN over one grey channel.
 * Input NHWC [n, inputSize, inputSize, 1], pixels in [0,1], white ink on black.
 */

export const modelConfigSchema = z.strictObject({
  /** Side of the square input image in pixels. */
  inputSize: z.number().int().min(8).max(128).default(28),
  /** Filters of each conv block (conv 'same' + ReLU + 2x2 max-pool). */
  filters: z.array(z.number().int().min(1).max(512)).min(1).max(5).default([32, 64, 128]),
  /**
   * Batch normalization after each convolution (before its ReLU; the conv then has no bias). Training
   * normalizes by the batch; the ONNX export folds the running statistics into the conv's weights and
   * bias, so inference costs what the plain network costs.
   */
  batchNorm: z.boolean().default(false),
  /** Convolutions per block before its pool (2: VGG's two 3x3 convs, same filters). */
  convsPerBlock: z.number().int().min(1).max(2).default(1),
  /** Conv kernel side (odd). */
  kernelSize: z
    .number()
    .int()
    .min(1)
    .max(7)
    .refine((k) => k % 2 === 1, 'kernelSize must be odd')
    .default(3),
  /** Hidden dense layers (ReLU, each followed by dropout). */
  dense: z.array(z.number().int().min(1).max(4096)).max(3).default([256, 128]),
  /** Dropout rate after each hidden dense layer. */
  dropout: z.number().min(0).max(0.9).default(0.4),
  learningRate: z.number().positive().max(1).default(1e-3),
  batchSize: z.number().int().min(1).max(4096).default(64),
  epochs: z.number().int().min(1).max(1000).default(10),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

export const DEFAULT_MODEL_CONFIG: ModelConfig = Object.freeze(modelConfigSchema.parse({})) as ModelConfig;

/** Stable layer names, relied on by the ONNX exporter and checkpoints. */
export const LAYER_NAMES = {
  conv: (i: number) => `conv${i + 1}`,
  /** The second convolution of block i (convsPerBlock 2). */
  conv2: (i: number) => `conv${i + 1}b`,
  /** Batch normalization and ReLU after the convolution named `conv`. */
  bn: (conv: string) => `${conv}_bn`,
  relu: (conv: string) => `${conv}_relu`,
  pool: (i: number) => `pool${i + 1}`,
  flatten: 'flatten',
  dense: (i: number) => `dense${i + 1}`,
  dropout: (i: number) => `dropout${i + 1}`,
  output: 'output',
} as const;

/** Spatial side after the conv blocks (each 2x2 pool, 'valid', halves and floors). */
export function featureSide(config: Pick<ModelConfig, 'inputSize' | 'filters'>): number {
  let side = config.inputSize;
  for (let i = 0; i < config.filters.length; i++) side = Math.floor(side / 2);
  return side;
}

/**
 * Build and compile the model (Adam, categorical cross-entropy, accuracy). Pure: depends only on the
 * arguments (weights are randomly initialised by tfjs). Call after the backend is set.
 */
export function buildModel(configInput: ModelConfigInput, numClasses: number): tf.LayersModel {
  const config = modelConfigSchema.parse(configInput);
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`numClasses must be an integer >= 2, got ${numClasses}`);
  }
  if (featureSide(config) < 1) {
    throw new Error(
      `inputSize ${config.inputSize} is too small for ${config.filters.length} pooling blocks`,
    );
  }
  const m = tf.sequential({ name: 'glyphlab_cnn' });
  config.filters.forEach((filters, i) => {
    for (let j = 0; j < config.convsPerBlock; j++) {
      const name = j === 0 ? LAYER_NAMES.conv(i) : LAYER_NAMES.conv2(i);
      m.add(
        tf.layers.conv2d({
          name,
          ...(i === 0 && j === 0 ? { inputShape: [config.inputSize, config.inputSize, 1] } : {}),
          filters,
          kernelSize: config.kernelSize,
          padding: 'same',
          activation: config.batchNorm ? 'linear' : 'relu',
          useBias: !config.batchNorm,
        }),
      );
      if (config.batchNorm) {
        m.add(fastBatchNorm({ name: LAYER_NAMES.bn(name), momentum: 0.95, epsilon: 1e-3 }));
        m.add(tf.layers.activation({ name: LAYER_NAMES.relu(name), activation: 'relu' }));
      }
    }
    m.add(tf.layers.maxPooling2d({ name: LAYER_NAMES.pool(i), poolSize: 2, strides: 2 }));
  });
  m.add(tf.layers.flatten({ name: LAYER_NAMES.flatten }));
  config.dense.forEach((units, i) => {
    m.add(tf.layers.dense({ name: LAYER_NAMES.dense(i), units, activation: 'relu' }));
    if (config.dropout > 0) m.add(tf.layers.dropout({ name: LAYER_NAMES.dropout(i), rate: config.dropout }));
  });
  m.add(tf.layers.dense({ name: LAYER_NAMES.output, units: numClasses, activation: 'softmax' }));
  m.compile({
    optimizer: new FusedAdam(config.learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}
