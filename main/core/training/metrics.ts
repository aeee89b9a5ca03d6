import type { ClassMetrics, SplitMetrics } from '../../common/contract/training';

/** Accuracy, per-class precision/recall/F1 and the confusion matrix from true and predicted class indexes. */
export function splitMetrics(
  split: SplitMetrics['split'],
  classes: string,
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  loss: number | null,
): SplitMetrics {
  const k = [...classes].length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    confusion[t]![p]!++;
    if (t === p) correct++;
  }
  const perClass: ClassMetrics[] = [...classes].map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  return { split, samples: truth.length, accuracy: truth.length ? correct / truth.length : 0, loss, perClass, confusion };
}
