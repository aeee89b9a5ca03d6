import type { TrainConfig } from '../../common/contract/training';

/** The last batches of a cosine schedule still learn: the rate decays to this share of the set one. */
export const COSINE_FLOOR = 0.01;

/**
 * The learning rate for global batch `step` (0-based) of a run of `totalSteps` batches.
 * 'constant': the set rate throughout. 'cosine': half a cosine from the set rate down to
 * COSINE_FLOOR of it at the last planned batch (a run stopped early simply ends higher up the curve).
 * Depends only on the step, so a resumed run continues the curve where it stopped.
 */
export function learningRateAt(cfg: Pick<TrainConfig, 'learningRate' | 'lrSchedule'>, step: number, totalSteps: number): number {
  if (cfg.lrSchedule === 'constant' || totalSteps <= 1) return cfg.learningRate;
  const t = Math.min(Math.max(step / (totalSteps - 1), 0), 1);
  const floor = cfg.learningRate * COSINE_FLOOR;
  return floor + (cfg.learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}
