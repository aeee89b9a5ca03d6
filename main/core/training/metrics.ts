import type { SplitMetrics } from '../../common/contract/models';
import { computeMetrics } from '../evaluation/metrics';

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
