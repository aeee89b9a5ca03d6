import { describe, expect, it } from 'vitest';
import { COSINE_FLOOR, ONE_CYCLE, learningRateAt } from '../../../main/core/training/schedule';

describe('learning-rate schedule', () => {
  const total = 101;
  it('cosine starts at the set rate, falls monotonically and ends at the floor', () => {
    const cfg = { learningRate: 0.002, lrSchedule: 'cosine' as const };
    const rates = Array.from({ length: total }, (_, s) => learningRateAt(cfg, s, total));
    expect(rates[0]).toBe(0.002);
    expect(rates.at(-1)).toBeCloseTo(0.002 * COSINE_FLOOR, 12);
    // Half way: the mean of start and floor.
    expect(rates[50]).toBeCloseTo((0.002 + 0.002 * COSINE_FLOOR) / 2, 12);
    for (let i = 1; i < total; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
    // Past the planned end (cannot happen in a run, but never below the floor or negative).
    expect(learningRateAt(cfg, total + 50, total)).toBeCloseTo(0.002 * COSINE_FLOOR, 12);
  });

  it('constant keeps the set rate; a one-batch run uses the set rate', () => {
    const constant = { learningRate: 0.01, lrSchedule: 'constant' as const };
    expect([0, 10, 100].map((s) => learningRateAt(constant, s, total))).toEqual([0.01, 0.01, 0.01]);
    expect(learningRateAt({ learningRate: 0.01, lrSchedule: 'cosine' }, 0, 1)).toBe(0.01);
  });

  it('one-cycle rises to the set rate at 30% of the run, then falls to 1/1000 of it', () => {
    const cfg = { learningRate: 0.01, lrSchedule: 'onecycle' as const };
    const rates = Array.from({ length: total }, (_, s) => learningRateAt(cfg, s, total));
    expect(rates[0]).toBeCloseTo(0.01 * ONE_CYCLE.start, 12);
    expect(rates[30]).toBeCloseTo(0.01, 12);
    expect(rates.at(-1)).toBeCloseTo(0.01 * ONE_CYCLE.end, 12);
    expect(Math.max(...rates)).toBeCloseTo(0.01, 12);
    for (let i = 1; i <= 30; i++) expect(rates[i]).toBeGreaterThan(rates[i - 1]!);
    for (let i = 31; i < total; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
  });
});
