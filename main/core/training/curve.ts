/**
 * What the dashboard's training curves show, computed in one place so the per-batch and per-epoch
 * figures agree:
 * - per batch: an exponential moving average of the batch losses (and accuracies), bias-corrected
 *   and carried on across epoch boundaries (a running mean restarted each epoch made the curve drop
 *   at every boundary: it averaged the whole epoch so far, then only the newest batches);
 * - per epoch: the sample-weighted mean over the epoch's batches.
 * Both use the same per-batch figure: the plain (unweighted) cross-entropy, the formula validation
 * uses, measured in training mode (dropout on, augmented images) while the weights change.
 */

/** Batches the moving average mostly spans: a quarter epoch, between 1 and 50. */
export function smoothingSpan(batchesPerEpoch: number): number {
  return Math.min(50, Math.max(1, Math.round(batchesPerEpoch / 4)));
}

/** Exponential moving average with bias correction (exact mean of the values seen while few). */
export class MovingAverage {
  private readonly beta: number;
  private biased = 0;
  private steps = 0;

  constructor(span: number) {
    if (!(span >= 1)) throw new RangeError(`span must be ≥ 1, got ${span}`);
    this.beta = 1 - 2 / (span + 1);
  }

  add(v: number): number {
    this.biased = this.beta * this.biased + (1 - this.beta) * v;
    this.steps++;
    return this.value;
  }

  get value(): number {
    return this.steps === 0 ? NaN : this.biased / (1 - this.beta ** this.steps);
  }
}

/** Sample-weighted mean of the batch figures of one epoch. */
export class EpochMean {
  private lossSum = 0;
  private correct = 0;
  seen = 0;

  add(batchLoss: number, batchCorrect: number, n: number): void {
    this.lossSum += batchLoss * n;
    this.correct += batchCorrect;
    this.seen += n;
  }

  get loss(): number {
    return this.seen ? this.lossSum / this.seen : NaN;
  }

  get accuracy(): number {
    return this.seen ? this.correct / this.seen : NaN;
  }
}
