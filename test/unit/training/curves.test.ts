import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../../main/common/contract/training';
import { modelConfigSchema } from '../../../main/core/ml/model';
import { EpochMean, MovingAverage, smoothingSpan } from '../../../main/core/training/curve';
import { runTrainingLoop } from '../../../main/core/training/loop';
import type { WorkerMessage } from '../../../main/core/training/protocol';
import { Curves, epochMeanX, historyCurves } from '../../../renderer/src/views/training/curves';
import { tmpDir } from '../../helpers/tmp';
import { makeToyDb } from './fixtures';
import { SMALL_MODEL, quickConfig } from './toy-core';

const scratch = tmpDir();
afterAll(() => scratch.cleanup());

/** The moving average as defined: EMA with factor 2/(span+1), divided by 1 − β^t. */
function referenceEma(values: number[], span: number): number[] {
  const beta = 1 - 2 / (span + 1);
  let m = 0;
  return values.map((v, i) => {
    m = beta * m + (1 - beta) * v;
    return m / (1 - beta ** (i + 1));
  });
}

describe('training curve figures (core)', () => {
  it('moving average: exact on a constant, the first value itself, bias-corrected after', () => {
    const c = new MovingAverage(10);
    expect(Number.isNaN(c.value)).toBe(true);
    expect(c.add(3)).toBe(3);
    for (let i = 0; i < 20; i++) expect(c.add(3)).toBeCloseTo(3, 12);
    const values = Array.from({ length: 40 }, (_, i) => Math.exp(-i / 10) + (i % 3) * 0.01);
    const m = new MovingAverage(7);
    expect(values.map((v) => m.add(v))).toEqual(referenceEma(values, 7).map((v) => expect.closeTo(v, 12)));
    expect(() => new MovingAverage(0)).toThrow(RangeError);
    expect([smoothingSpan(1), smoothingSpan(8), smoothingSpan(40), smoothingSpan(10_000)]).toEqual([1, 2, 10, 50]);
    const e = new EpochMean();
    e.add(2, 3, 4);
    e.add(1, 1, 2);
    expect(e.loss).toBeCloseTo((2 * 4 + 1 * 2) / 6, 12);
    expect(e.accuracy).toBeCloseTo(4 / 6, 12);
  });

  it('a run reports per batch the moving average of the batch losses across epochs, per epoch their mean', async () => {
    const db = path.join(scratch.dir, 'toy.db');
    makeToyDb(db, { perClass: { train: 20, validation: 4 } });
    const cfg = trainConfigSchema.parse(quickConfig({ epochs: 3, batchSize: 16 }));
    const messages: WorkerMessage[] = [];
    await runTrainingLoop(
      {
        dbPath: db,
        config: cfg,
        modelConfig: modelConfigSchema.parse({ ...SMALL_MODEL, inputSize: cfg.inputSize }) as unknown as Record<string, unknown>,
        backend: 'wasm',
        checkpointDir: path.join(scratch.dir, 'ckpt'),
        outDir: path.join(scratch.dir, 'model'),
        resume: false,
        name: 'curves',
        batchEventMs: 0,
      },
      { post: (m) => messages.push(m), stopRequest: () => null },
    );
    const failed = messages.find((m) => m.type === 'error');
    expect(failed, failed && 'message' in failed ? failed.message : '').toBeUndefined();
    const batches = messages.filter((m): m is Extract<WorkerMessage, { type: 'batch' }> => m.type === 'batch');
    const epochs = messages.filter((m): m is Extract<WorkerMessage, { type: 'epoch' }> => m.type === 'epoch').map((m) => m.stats);
    const perEpoch = Math.ceil(60 / 16);
    expect(batches).toHaveLength(3 * perEpoch);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);

    // Per batch: one moving average over all batches, not restarted at epoch boundaries.
    const raw = batches.map((b) => b.batchLoss);
    const want = referenceEma(raw, smoothingSpan(perEpoch));
    batches.forEach((b, i) => expect(b.loss, `batch ${i}`).toBeCloseTo(want[i]!, 5));
    const rawAcc = batches.map((b) => b.batchAccuracy);
    const wantAcc = referenceEma(rawAcc, smoothingSpan(perEpoch));
    batches.forEach((b, i) => expect(b.accuracy).toBeCloseTo(wantAcc[i]!, 5));

    // Per epoch: the sample-weighted mean of that epoch's batch losses (the last batch is smaller).
    for (const e of epochs) {
      const mine = batches.filter((b) => b.epoch === e.epoch);
      const sizes = mine.map((b) => Math.min(16, 60 - (b.batch - 1) * 16));
      const mean = mine.reduce((s, b, i) => s + b.batchLoss * sizes[i]!, 0) / 60;
      expect(e.loss).toBeCloseTo(mean, 5);
      const acc = mine.reduce((s, b, i) => s + b.batchAccuracy * sizes[i]!, 0) / 60;
      expect(e.accuracy).toBeCloseTo(acc, 5);
    }
    // The run learned: the curve went down.
    expect(batches.at(-1)!.loss).toBeLessThan(batches[0]!.loss);
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);
    expect(messages.at(-1)?.type).toBe('done');
  }, 120_000);
});

describe('dashboard curves (renderer)', () => {
  it('keeps the per-batch line, the epoch means (mid-epoch) and validation (epoch end) apart', () => {
    const c = new Curves();
    c.addBatch(0.5, 1.2, 0.4);
    c.addBatch(1, 1.0, 0.5);
    c.addEpoch({ epoch: 1, loss: 1.1, accuracy: 0.45, valLoss: 0.9, valAccuracy: 0.6 });
    c.addBatch(1.5, 0.8, 0.7);
    // The epoch's mean does not enter the per-batch line: no step at the boundary.
    expect(c.loss.smooth).toEqual([
      { x: 0.5, y: 1.2 },
      { x: 1, y: 1.0 },
      { x: 1.5, y: 0.8 },
    ]);
    expect(c.loss.epoch).toEqual([{ x: epochMeanX(1), y: 1.1 }]);
    expect(c.loss.val).toEqual([{ x: 1, y: 0.9 }]);
    expect(c.acc.smooth.map((p) => p.y)).toEqual([0.4, 0.5, 0.7]);
    expect(c.acc.epoch).toEqual([{ x: 0.5, y: 0.45 }]);
    expect(c.points).toBe(5);
    // Non-finite figures are left out (the run stops with a message instead).
    c.addBatch(1.75, NaN, 0.7);
    expect(c.loss.smooth).toHaveLength(3);
  });

  it('redraws over an epoch gone through again (resume), and lays past runs out the same way', () => {
    const c = new Curves();
    const history = [
      { epoch: 1, loss: 1, accuracy: 0.5, valLoss: 0.8, valAccuracy: 0.6 },
      { epoch: 2, loss: 0.6, accuracy: 0.7, valLoss: null, valAccuracy: null },
    ];
    c.fromHistory(history);
    expect(c.loss.epoch).toEqual([{ x: 0.5, y: 1 }, { x: 1.5, y: 0.6 }]);
    expect(c.loss.val).toEqual([{ x: 1, y: 0.8 }]);
    c.addBatch(2.5, 0.5, 0.8);
    c.addBatch(2.25, 0.55, 0.8); // epoch 3 started over: points past it are dropped
    expect(c.loss.smooth).toEqual([{ x: 2.25, y: 0.55 }]);
    c.addEpoch({ epoch: 2, loss: 0.62, accuracy: 0.7, valLoss: 0.7, valAccuracy: 0.65 });
    expect(c.loss.epoch).toEqual([{ x: 0.5, y: 1 }, { x: 1.5, y: 0.62 }]);
    expect(historyCurves(history, 'accuracy')).toEqual({ epoch: [{ x: 0.5, y: 0.5 }, { x: 1.5, y: 0.7 }], val: [{ x: 1, y: 0.6 }] });
    c.clear();
    expect(c.points).toBe(0);
  });
});
