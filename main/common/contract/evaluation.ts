import { z } from 'zod';
import { event, request } from './define';
import { SPLITS, type Split } from './dataset';
import type { ClassMetrics } from './models';

// On-demand evaluation of a model over a split of the dataset, and stored predictions.

export interface EvaluationCell {
  /** True class (row of the confusion matrix). */
  true: string;
  /** Predicted class (column). */
  predicted: string;
  /** Sample ids in this cell, ascending: what opens when the cell is clicked. */
  ids: number[];
}

export interface EvaluationResult {
  modelId: number;
  split: Split;
  /** Class characters in the order of `confusion` and `perClass`. */
  classes: string;
  /** Samples evaluated. */
  n: number;
  accuracy: number;
  /** Unweighted mean F1 over the classes present (as truth or prediction). */
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Every non-empty cell of the confusion matrix with its sample ids. */
  cells: EvaluationCell[];
  /** Labelled samples not evaluated because their label is not one of the model's classes. */
  skipped: { count: number; byLabel: Record<string, number> };
  runtime: 'onnxruntime' | 'tfjs';
  samplesPerSec: number;
  /** Predictions written to the dataset (confidence and disagreement filters). */
  storedPredictions: number;
  finishedAt: number;
}

export interface PredictResult {
  modelId: number;
  /** Samples classified and stored. */
  stored: number;
  runtime: 'onnxruntime' | 'tfjs';
  samplesPerSec: number;
}

const modelId = z.number().int().positive();
const label = z.string().min(1).max(4);

export const evaluationRequests = {
  'evaluation.start': request<{ jobId: string }>()(
    z.strictObject({
      modelId,
      split: z.enum(SPLITS).default('test'),
      /** Also store each sample's prediction (label, confidence, top-3) for the dataset's filters. */
      storePredictions: z.boolean().default(true),
    }),
    "Evaluate a model on a split of the dataset as a job ('evaluate'); job.finished carries an EvaluationResult.",
  ),
  'evaluation.result': request<EvaluationResult | null>()(
    z.strictObject({ modelId, split: z.enum(SPLITS).default('test') }),
    'The latest evaluation of this model on this split in this session (null when none).',
  ),
  'evaluation.cell': request<{ ids: number[] }>()(
    z.strictObject({ modelId, split: z.enum(SPLITS).default('test'), true: label, predicted: label }),
    'Sample ids of one confusion-matrix cell of the latest evaluation (not_found when there is none).',
  ),
  'evaluation.predict': request<{ jobId: string }>()(
    z.strictObject({
      modelId,
      /** Splits to classify (default all); unlabelled samples are included. */
      splits: z.array(z.enum(SPLITS)).min(1).max(3).optional(),
    }),
    "Classify the dataset's live samples with a model and store the predictions, as a job ('predict').",
  ),
};

export const evaluationEvents = {
  'evaluation.finished': event(
    z.object({ modelId: z.number(), split: z.enum(SPLITS), accuracy: z.number(), n: z.number() }),
    'An evaluation ended; fetch it with evaluation.result.',
  ),
};
