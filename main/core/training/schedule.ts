import type { TrainConfig } from '../../common/contract/training';

/** The last batches of a cosine schedule still learn: the rate decays to this share of the set one. */
export const COSINE_FLOOR = 0.01;

/** One-cycle: the share of the batches spent warming up, and the start and end rates as shares of the set one. */
export const ONE_CYCLE = { warmup: 0.3, start: 1 / 25, end: 1 / 1000 } as const;

/**
 * The learning rate for global batch `step` (0-based) of a run of `totalSteps` batches.
 * 'constant': the set rate throughout. 'cosine': half a cosine from the set rate down to
 * COSINE_FLOOR of it at the last planned batch (a run stopped early simply ends higher up the curve).
 * 'onecycle': half a cosine up from ONE_CYCLE.start of the rate to the rate over the first
 * ONE_CYCLE.warmup of the batches, then half a cosine down to ONE_CYCLE.end of it at the last batch.
 * Depends only on the step, so a resumed run continues the curve where it stopped.
 */
export function learningRateAt(cfg: Pick<TrainConfig, 'learningRate' | 'lrSchedule'>, step: number, totalSteps: number): number {
  if (cfg.lrSchedule === 'constant' || totalSteps <= 1) return cfg.learningRate;
  const t = Math.min(Math.max(step / (totalSteps - 1), 0), 1);
  if (cfg.lrSchedule === 'onecycle') {
    const lr = cfg.learningRate;
    const cos = (from: number, to: number, u: number) => to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * u));
    if (t < ONE_CYCLE.warmup) return cos(lr * ONE_CYCLE.start, lr, t / ONE_CYCLE.warmup);
    return cos(lr, lr * ONE_CYCLE.end, (t - ONE_CYCLE.warmup) / (1 - ONE_CYCLE.warmup));
  }
  const floor = cfg.learningRate * COSINE_FLOOR;
  return floor + (cfg.learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}
