/**
 * The training dashboard's curves, as plain arrays Chart.js reads in place. What each series shows
 * (the core computes the figures; see main/core/training/curve.ts):
 * - `smooth`: the training loss/accuracy per batch, a moving average over the recent batches that
 *   runs on across epochs (training mode: dropout on, augmented images), at x = epoch fraction done;
 * - `epoch`: each epoch's mean of those batch figures, at the middle of its epoch (x = epoch − ½),
 *   since it averages over the whole epoch while the weights changed;
 * - `val`: validation after each epoch (no dropout, no augmentation), at its end (x = epoch).
 * Plain TypeScript (no runes) so it is tested in Node.
 */
import type { EpochStats } from '$common/contract';

export interface Point {
  x: number;
  y: number;
}

/** One epoch's figures, as the `training.progress` epoch event and a run's history carry them. */
export type EpochFigures = Pick<EpochStats, 'epoch' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>;

export interface CurveSet {
  smooth: Point[];
  epoch: Point[];
  val: Point[];
}

export const CURVE_LABELS = {
  smooth: 'train, per batch (moving average)',
  epoch: 'train, epoch mean',
  val: 'validation, end of epoch',
} as const;

export const CURVE_EXPLANATION =
  'Train: cross-entropy and accuracy on the training batches while the network learns (dropout on, augmented images), ' +
  'as a moving average per batch and as each epoch’s mean (plotted mid-epoch). ' +
  'Validation: the same cross-entropy and accuracy on the validation images after each epoch (dropout off, no augmentation).';

/** x of an epoch's mean: the middle of the epoch it averages over. */
export const epochMeanX = (epoch: number) => epoch - 0.5;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Appends a point, first dropping points at or after its x (a resumed run goes over an epoch again). */
function place(list: Point[], x: number, y: number): void {
  while (list.length && list[list.length - 1]!.x >= x) list.pop();
  list.push({ x, y });
}

export class Curves {
  readonly loss: CurveSet = { smooth: [], epoch: [], val: [] };
  readonly acc: CurveSet = { smooth: [], epoch: [], val: [] };

  private lists(): Point[][] {
    return [this.loss.smooth, this.loss.epoch, this.loss.val, this.acc.smooth, this.acc.epoch, this.acc.val];
  }

  clear(): void {
    for (const l of this.lists()) l.length = 0;
  }

  /** Seed from a run's per-epoch history (a resumed or re-opened run: no batch points). */
  fromHistory(history: readonly EpochFigures[]): void {
    this.clear();
    for (const h of history) this.addEpoch(h);
  }

  /** A batch event: `x` = epochs done, fractional (epoch − 1 + batch / batches). */
  addBatch(x: number, loss: number, accuracy: number): void {
    if (finite(loss)) place(this.loss.smooth, x, loss);
    if (finite(accuracy)) place(this.acc.smooth, x, accuracy);
  }

  addEpoch(e: EpochFigures): void {
    // A later epoch's figures replace what a previous attempt drew past it.
    for (const l of [this.loss.epoch, this.loss.val, this.acc.epoch, this.acc.val]) {
      while (l.length && l[l.length - 1]!.x > e.epoch) l.pop();
    }
    if (finite(e.loss)) place(this.loss.epoch, epochMeanX(e.epoch), e.loss);
    if (finite(e.accuracy)) place(this.acc.epoch, epochMeanX(e.epoch), e.accuracy);
    if (finite(e.valLoss)) place(this.loss.val, e.epoch, e.valLoss);
    if (finite(e.valAccuracy)) place(this.acc.val, e.epoch, e.valAccuracy);
  }

  get points(): number {
    return this.loss.smooth.length + this.loss.epoch.length + this.loss.val.length;
  }
}

/** A past run's curves from its history (epoch means mid-epoch, validation at the epoch's end). */
export function historyCurves(history: readonly EpochFigures[], kind: 'loss' | 'accuracy'): { epoch: Point[]; val: Point[] } {
  const epoch: Point[] = [];
  const val: Point[] = [];
  for (const h of history) {
    const t = kind === 'loss' ? h.loss : h.accuracy;
    const v = kind === 'loss' ? h.valLoss : h.valAccuracy;
    if (finite(t)) epoch.push({ x: epochMeanX(h.epoch), y: t });
    if (finite(v)) val.push({ x: h.epoch, y: v });
  }
  return { epoch, val };
}
