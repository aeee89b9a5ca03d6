import type { ModelMetrics, ModelSummary, SplitMetrics } from '../../common/contract/models';
import { metricsFromConfusion } from '../evaluation/metrics';

/**
 * Macro-F1 of stored split metrics: the stored figure, or (metrics saved before it was recorded)
 * recomputed from the confusion matrix, else from the per-class F1 of the classes with samples.
 */
export function splitMacroF1(m: SplitMetrics | undefined | null): number | null {
  if (!m) return null;
  if (typeof m.macroF1 === 'number' && Number.isFinite(m.macroF1)) return m.macroF1;
  const labels = m.perClass.map((c) => c.label);
  if (m.confusion.length === labels.length && labels.length > 0) {
    try {
      return metricsFromConfusion(m.confusion, labels).macroF1;
    } catch {
      // A malformed matrix: fall through to the per-class figures.
    }
  }
  const present = m.perClass.filter((c) => c.support > 0);
  return present.length ? present.reduce((s, c) => s + c.f1, 0) / present.length : null;
}

/** The figures shown per model: on the test split when the model has test metrics, else validation. */
export function modelFigures(metrics: ModelMetrics | null | undefined): Pick<ModelSummary, 'accuracy' | 'macroF1' | 'figuresSplit'> {
  const isSplit = (m: unknown): m is SplitMetrics =>
    !!m && typeof m === 'object' && typeof (m as SplitMetrics).accuracy === 'number' && Array.isArray((m as SplitMetrics).perClass);
  const split = isSplit(metrics?.test) ? 'test' : isSplit(metrics?.validation) ? 'validation' : null;
  const m = split ? (metrics![split] as SplitMetrics) : null;
  return { accuracy: m?.accuracy ?? null, macroF1: splitMacroF1(m), figuresSplit: split };
}
