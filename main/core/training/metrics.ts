import type { SplitMetrics } from '../../common/contract/training';
import { computeMetrics, metricsFromConfusion } from '../evaluation/metrics';

/**
 * A split's figures after training (accuracy, macro-F1, per-class precision/recall/F1, confusion),
 * computed by the evaluation's metrics so that training and evaluation report the same numbers.
 */
export function splitMetrics(
  split: SplitMetrics['split'],
  classes: string,
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  loss: number | null,
): SplitMetrics {
  const m = computeMetrics(truth, predicted, [...classes]);
  return { split, samples: m.n, accuracy: m.accuracy, macroF1: m.macroF1, loss, perClass: m.perClass, confusion: m.confusion };
}

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
