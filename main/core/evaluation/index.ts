/**
 * Evaluation of a classifier: pure metrics (`metrics.ts`), sample sources (files read with the
 * dataset's importers, or a split of the dataset), `evaluateModel` (batches, progress,
 * cancellation), stored predictions, and the `evaluation.*` request handlers.
 */
export { computeMetrics, confusionMatrix, metricsFromConfusion, type Metrics } from './metrics';
export { evaluateModel, cellSampleIds, type Evaluation, type EvaluateOptions, type SamplePrediction } from './evaluate';
export { readFileSource, type FileSourceOptions } from './file-source';
export { readDbSource } from './db-source';
export { storePredictions } from './predictions';
export { predictDataset } from './predict';
export { buildNotes, buildReport, formatReport, EVAL_REPORT_KEYS, type EvalNotes, type EvalReport } from './report';
export type { SampleSource, EvalItem, SkippedLabels } from './source';
