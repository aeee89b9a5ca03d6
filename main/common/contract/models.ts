import { z } from 'zod';
import { request } from './define';
import type { Split } from './dataset';

// The model registry: trained and imported models, the bundled default, the active model, and the
// metrics a model carries (written by training, read by the models view, evaluation and OCR).

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Samples whose true class this is. */
  support: number;
}

export interface SplitMetrics {
  split: Split | 'external';
  samples: number;
  accuracy: number;
  /** Unweighted mean F1 over the classes present (as truth or prediction); absent in metrics saved by older versions. */
  macroF1?: number;
  loss: number | null;
  perClass: ClassMetrics[];
  /** confusion[true][predicted], in class order. */
  confusion: number[][];
}

export interface ModelMetrics {
  validation?: SplitMetrics;
  test?: SplitMetrics;
  /** Seconds of training, epochs run, best epoch, throughput. */
  training?: { seconds: number; epochs: number; bestEpoch: number; trainSamplesPerSec: number; stoppedEarly: boolean };
  /** Other figures (e.g. the bundled model's accuracy on an external test set). */
  [key: string]: unknown;
}

export interface DatasetSnapshot {
  /** Samples per split and class at the start of training. */
  counts: Record<string, Record<string, number>>;
  total: number;
  /** sha256 of the sorted `id:label:split` lines used (train + validation). */
  hash: string;
}

export interface ModelSummary {
  id: number;
  name: string;
  dir: string;
  classes: string;
  inputSize: number;
  backend: string;
  createdAt: number;
  /** Accuracy and macro-F1 on `figuresSplit` (test when the model has test metrics, else validation). */
  accuracy: number | null;
  macroF1: number | null;
  figuresSplit: 'test' | 'validation' | null;
  active: boolean;
}

/** The model bundled with the app (resources/models/default): read-only, not in the registry. */
export interface BundledModel {
  name: string;
  dir: string;
  classes: string;
  inputSize: number;
  backend: string;
  createdAt: number | null;
  accuracy: number | null;
  macroF1: number | null;
  figuresSplit: 'test' | 'validation' | null;
  /** Used for OCR and predictions now (no registered model is active). */
  active: boolean;
  readOnly: true;
}

/** The registry as the models view shows it: the registered models and the bundled default, if any. */
export interface ModelList {
  models: ModelSummary[];
  bundled: BundledModel | null;
}

export interface ModelDetail extends ModelSummary {
  config: unknown;
  metrics: ModelMetrics | null;
  dataset: DatasetSnapshot | null;
  files: string[];
}

export interface ActiveModel {
  /** null: the bundled default model. */
  id: number | null;
  name: string;
  dir: string;
  classes: string;
  inputSize: number;
}

/**
 * `models.active`: the model in use, or `{model: null, reason}` when none is set and there is no
 * bundled default (not an error: the UI shows the reason as a hint, OCR asks for a model).
 */
export type ActiveModelState = { model: ActiveModel; reason: null } | { model: null; reason: string };

export interface CompareRow {
  label: string;
  a: ClassMetrics | null;
  b: ClassMetrics | null;
}

export interface ModelComparison {
  a: ModelSummary;
  b: ModelSummary;
  split: 'test' | 'validation' | null;
  accuracy: { a: number | null; b: number | null };
  macroF1: { a: number | null; b: number | null };
  perClass: CompareRow[];
}

const modelId = z.number().int().positive();
const dirPath = z.string().min(1).max(4096);

export const modelsRequests = {
  'models.list': request<ModelList>()(
    z.strictObject({}),
    'Trained and imported models, newest first, with accuracy and macro-F1; and the bundled default model (read-only) if installed.',
  ),
  'models.get': request<ModelDetail>()(z.strictObject({ id: modelId }), 'One model with its settings, data snapshot and metrics.'),
  'models.delete': request<{ deleted: boolean }>()(
    z.strictObject({ id: modelId }),
    'Remove a model and its folder (the active model falls back to the bundled one).',
  ),
  'models.compare': request<ModelComparison>()(
    z.strictObject({ a: modelId, b: modelId }),
    'Two models side by side, per class (their test metrics, else validation).',
  ),
  'models.export': request<{ dir: string }>()(
    z.strictObject({ id: modelId, out: dirPath }),
    'Copy a model folder (model.json, weights, metadata.json, model.onnx) to a new folder.',
  ),
  'models.import': request<ModelSummary>()(
    z.strictObject({ dir: dirPath, name: z.string().min(1).max(200).optional() }),
    'Register a model folder written by glyphlab (copied into the data folder).',
  ),
  'models.setActive': request<ActiveModelState>()(
    z.strictObject({ id: modelId.nullable() }),
    'The model used for OCR and predictions (null: the bundled default).',
  ),
  'models.active': request<ActiveModelState>()(
    z.strictObject({}),
    'The model used for OCR and predictions, or {model: null, reason} when there is none yet (no model set, no bundled default).',
  ),
};
