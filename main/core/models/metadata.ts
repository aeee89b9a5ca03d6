import fs from 'node:fs';
import path from 'node:path';
import type { DatasetSnapshot, ModelMetrics } from '../../common/contract/models';
import type { EpochStats, TrainConfig } from '../../common/contract/training';
import { MODEL_FILES, readModelMetadata } from '../ml/inference/model-files';

export const METADATA_FILE = MODEL_FILES.metadata;
export const METADATA_FORMAT = 'glyphlab-model';

/** metadata.json: what a consumer needs to feed the model and judge it. */
export interface ModelMetadataFile {
  format: typeof METADATA_FORMAT;
  version: 1;
  name: string;
  /** One character per output unit, in order. */
  classes: string;
  inputSize: number;
  /** Input layout: NHWC [n, inputSize, inputSize, 1]. */
  layout: 'NHWC';
  /** Ink is 1 (white) on a 0 (black) background. */
  polarity: 'white-on-black';
  normalization: { description: string; scale: number; range: [number, number] };
  files: { tfjs: string; weights: string; onnx?: string };
  config: TrainConfig | Record<string, unknown>;
  modelConfig: Record<string, unknown>;
  backend: string;
  data: DatasetSnapshot | null;
  metrics: ModelMetrics;
  history: EpochStats[];
  createdAt: string;
}

export const NORMALIZATION = {
  description:
    "The dataset's canonical image (grayscale, white ink on black) resized to inputSize x inputSize, pixel values divided by 255.",
  scale: 1 / 255,
  range: [0, 1] as [number, number],
};

export function writeModelMetadata(
  dir: string,
  info: Omit<ModelMetadataFile, 'format' | 'version' | 'layout' | 'polarity' | 'normalization' | 'files' | 'createdAt'> & {
    createdAt?: string;
  },
): ModelMetadataFile {
  const meta: ModelMetadataFile = {
    format: METADATA_FORMAT,
    version: 1,
    name: info.name,
    classes: info.classes,
    inputSize: info.inputSize,
    layout: 'NHWC',
    polarity: 'white-on-black',
    normalization: NORMALIZATION,
    files: { tfjs: 'model.json', weights: 'weights.bin', ...(fs.existsSync(path.join(dir, 'model.onnx')) ? { onnx: 'model.onnx' } : {}) },
    config: info.config,
    modelConfig: info.modelConfig,
    backend: info.backend,
    data: info.data,
    metrics: info.metrics,
    history: info.history,
    createdAt: info.createdAt ?? new Date().toISOString(),
  };
  fs.writeFileSync(path.join(dir, METADATA_FILE), `${JSON.stringify(meta, null, 1)}\n`);
  return meta;
}

/** metadata.json as read back: classes and inputSize checked, the rest as written (older files may lack fields). */
export type ModelMetadataRead = Partial<ModelMetadataFile> & { classes: string; inputSize: number };

/**
 * Reads a model folder's metadata.json through the one reader inference uses (`readModelMetadata`:
 * GlyphError naming the file when it is missing or invalid), typed with the fields training writes.
 */
export function readModelMetadataFile(dir: string): ModelMetadataRead {
  return readModelMetadata(dir) as ModelMetadataRead;
}
