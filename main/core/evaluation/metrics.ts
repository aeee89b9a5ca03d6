import type { ClassMetrics } from '../../common/contract/models';

/**
 * Classification metrics from true and predicted class indices. Pure functions, no I/O.
 *
 * Conventions (those of scikit-learn's classification_report):
 * - confusion[t][p] counts samples of true class t predicted as p (rows = true, columns = predicted);
 * - precision of a class never predicted, recall of a class without samples, and F1 when
 *   precision + recall = 0 are 0;
 * - macro-F1 is the unweighted mean of F1 over the classes that occur (as truth or prediction):
 *   classes absent from both are not counted, so a test set without 'Q' does not drag it down.
 */
export interface Metrics {
  n: number;
  /** Correct / n (0 when n = 0). */
  accuracy: number;
  macroF1: number;
  /** One entry per class, in class order. */
  perClass: ClassMetrics[];
  /** confusion[true][predicted], classes × classes. */
  confusion: number[][];
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new RangeError(`${yTrue.length} true labels but ${yPred.length} predictions`);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < numClasses)) throw new RangeError(`true label ${t} at ${i} is not a class index 0..${numClasses - 1}`);
    if (!(Number.isInteger(p) && p >= 0 && p < numClasses)) throw new RangeError(`prediction ${p} at ${i} is not a class index 0..${numClasses - 1}`);
    m[t]![p]!++;
  }
  return m;
}

/** Metrics from a confusion matrix (rows = true, columns = predicted). */
export function metricsFromConfusion(confusion: number[][], labels: string[]): Metrics {
  const k = confusion.length;
  if (labels.length !== k) throw new RangeError(`${labels.length} labels for a ${k}×${k} confusion matrix`);
  let n = 0;
  let correct = 0;
  const colSum = new Array<number>(k).fill(0);
  const rowSum = new Array<number>(k).fill(0);
  for (let t = 0; t < k; t++) {
    const row = confusion[t]!;
    if (row.length !== k) throw new RangeError(`confusion row ${t} has ${row.length} columns, expected ${k}`);
    for (let p = 0; p < k; p++) {
      const v = row[p]!;
      n += v;
      rowSum[t]! += v;
      colSum[p]! += v;
      if (t === p) correct += v;
    }
  }
  const perClass: ClassMetrics[] = [];
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const precision = colSum[c]! ? tp / colSum[c]! : 0;
    const recall = rowSum[c]! ? tp / rowSum[c]! : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: labels[c]!, precision, recall, f1, support: rowSum[c]! });
    if (rowSum[c]! > 0 || colSum[c]! > 0) {
      f1Sum += f1;
      present++;
    }
  }
  return {
    n,
    accuracy: n ? correct / n : 0,
    macroF1: present ? f1Sum / present : 0,
    perClass,
    confusion: confusion.map((r) => [...r]),
  };
}

/** Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix. */
export function computeMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: string[]): Metrics {
  return metricsFromConfusion(confusionMatrix(yTrue, yPred, labels.length), labels);
}
