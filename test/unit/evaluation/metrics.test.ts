import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeMetrics, confusionMatrix } from '../../../main/core/evaluation/metrics';

describe('classification metrics', () => {
  it('match a hand-computed 3-class case', () => {
    // true:  A A A A B B B C C C
    // pred:  A A B C B B A C C B
    const t = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    const p = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
    const m = computeMetrics(t, p, ['A', 'B', 'C']);
    expect(m.confusion).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(m.n).toBe(10);
    expect(m.accuracy).toBeCloseTo(6 / 10, 12);
    // A: tp 2, predicted 3, support 4 -> P 2/3, R 1/2, F1 = 2*(1/3)/(7/6) = 4/7
    // B: tp 2, predicted 4, support 3 -> P 1/2, R 2/3, F1 = 4/7
    // C: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 = 2/3
    const [a, b, c] = m.perClass;
    expect(a).toMatchObject({ label: 'A', support: 4 });
    expect(a!.precision).toBeCloseTo(2 / 3, 12);
    expect(a!.recall).toBeCloseTo(1 / 2, 12);
    expect(a!.f1).toBeCloseTo(4 / 7, 12);
    expect(b!.precision).toBeCloseTo(1 / 2, 12);
    expect(b!.recall).toBeCloseTo(2 / 3, 12);
    expect(b!.f1).toBeCloseTo(4 / 7, 12);
    expect(c).toMatchObject({ label: 'C', support: 3 });
    expect(c!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((4 / 7 + 4 / 7 + 2 / 3) / 3, 12);
  });

  it('gives 0 precision to a class never predicted and leaves absent classes out of macro-F1', () => {
    // classes A B C D; D never occurs; C occurs but is never predicted.
    const t = [0, 0, 1, 2];
    const p = [0, 0, 1, 1];
    const m = computeMetrics(t, p, ['A', 'B', 'C', 'D']);
    expect(m.perClass[2]).toEqual({ label: 'C', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.perClass[3]).toEqual({ label: 'D', precision: 0, recall: 0, f1: 0, support: 0 });
    // A: F1 1; B: P 1/2 R 1 -> F1 2/3; C: 0 -> macro over A,B,C
    expect(m.macroF1).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    expect(m.accuracy).toBeCloseTo(3 / 4, 12);
  });

  it('handles an empty evaluation', () => {
    const m = computeMetrics([], [], ['A', 'B']);
    expect(m).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, confusion: [[0, 0], [0, 0]] });
  });

  it('rejects out-of-range indices and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/true label 2/);
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow(/1 true labels but 2/);
  });

  it('holds its invariants on random data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((k) =>
          fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), { maxLength: 60 })),
        ),
        ([k, pairs]) => {
          const labels = Array.from({ length: k }, (_, i) => String.fromCharCode(65 + i));
          const m = computeMetrics(pairs.map((x) => x[0]), pairs.map((x) => x[1]), labels);
          const total = m.confusion.flat().reduce((s, v) => s + v, 0);
          expect(total).toBe(pairs.length);
          expect(m.perClass.reduce((s, c) => s + c.support, 0)).toBe(pairs.length);
          const correct = pairs.filter(([a, b]) => a === b).length;
          expect(m.accuracy).toBeCloseTo(pairs.length ? correct / pairs.length : 0, 12);
          for (const c of m.perClass) for (const v of [c.precision, c.recall, c.f1]) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
    );
  });
});
