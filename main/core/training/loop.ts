import Database from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs';
import { GlyphError, serializeError } from '../../common/errors';
import type { EpochStats } from '../../common/contract/training';
import { FusedAdam } from '../ml/adam';
import { buildModel } from '../ml/model';
import { setupBackend } from './backend';
import { writeCheckpoint } from './checkpoint';
import { EpochMean, MovingAverage, smoothingSpan } from './curve';
import { evaluate, yieldToEvents } from './evaluate';
import { ImageSource } from '../datasets/image-source';
import { classWeights, epochOrder, listTrainingData } from './data';
import { saveFinishedModel } from './finished-model';
import type { WorkerInput, WorkerMessage } from './protocol';
import { Rng } from './rng';
import { learningRateAt } from './schedule';
import { startState } from './start-state';
import { batchPixels, trainStep } from './train-step';

export interface LoopHooks {
  post(msg: WorkerMessage): void;
  /**
   * Checked between batches: 'cancel' ends the run without a model (the last checkpoint stays),
   * 'finish' ends it early and saves the best model so far.
   */
  stopRequest(): 'cancel' | 'finish' | null;
}

const BATCH_EVENT_MS = 250;
/** Test hook: `nan@N` makes the loss NaN at global batch N (checks the non-finite stop end to end). */
const FAULT = process.env.GLYPHLAB_TRAIN_FAULT ?? '';

/** Runs one training (fresh or resumed) to the end; every outcome is reported through `hooks.post`. */
export async function runTrainingLoop(input: WorkerInput, hooks: LoopHooks): Promise<void> {
  let db: Database.Database | null = null;
  try {
    db = new Database(input.dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    await train(db, input, hooks);
  } catch (e) {
    const err = serializeError(e);
    hooks.post({ type: 'error', errorType: err.type, message: err.message });
  } finally {
    db?.close();
  }
}

async function train(db: Database.Database, input: WorkerInput, hooks: LoopHooks): Promise<void> {
  const cfg = input.config;
  const size = cfg.inputSize;
  const backend = await setupBackend(input.backend);
  const data = listTrainingData(db, cfg, input.dbPath);
  const numClasses = data.classes.length;
  const batches = Math.ceil(data.train.length / cfg.batchSize);

  const model = buildModel({ ...input.modelConfig, inputSize: size }, numClasses);
  const optimizer = new FusedAdam(cfg.learningRate);
  const rng = new Rng(cfg.seed);
  const start = await startState(input, model, optimizer, rng);
  const state = start.state;
  let best = start.best;

  hooks.post({
    type: 'ready',
    backend,
    classes: data.classes,
    snapshot: data.snapshot,
    trainCount: data.train.length,
    validationCount: data.validation.length,
    validationSource: data.validationSource,
    batches,
    startEpoch: state.epoch,
    history: state.history,
  });

  const images = new ImageSource(db, size);
  const weights = cfg.balance === 'weights' ? classWeights(data.train, numClasses) : new Float32Array(numClasses).fill(1);
  const nanAt = /^nan@(\d+)$/.exec(FAULT)?.[1];
  const eventMs = input.batchEventMs ?? BATCH_EVENT_MS;
  let globalBatch = state.epoch * batches;
  const totalBatches = cfg.epochs * batches;
  // The per-batch curve: one moving average over the whole run (not restarted each epoch).
  const smoothLoss = new MovingAverage(smoothingSpan(batches));
  const smoothAcc = new MovingAverage(smoothingSpan(batches));
  let stoppedEarly = false;
  let finishedEarly = false;

  for (let epoch = state.epoch + 1; epoch <= cfg.epochs; epoch++) {
    const t0 = performance.now();
    const order = epochOrder(data.train, numClasses, cfg.balance, rng);
    const mean = new EpochMean();
    let lastEvent = 0;
    let stepSeconds = 0;
    for (let b = 0; b < batches; b++) {
      const stop = hooks.stopRequest();
      if (stop === 'cancel') {
        hooks.post({ type: 'stopped', epoch: epoch - 1 });
        tf.dispose(best);
        model.dispose();
        optimizer.dispose();
        return;
      }
      if (stop === 'finish') {
        finishedEarly = true;
        break;
      }
      const slice = order.slice(b * cfg.batchSize, (b + 1) * cfg.batchSize);
      const sb = performance.now();
      const x = await batchPixels(images, slice, size, cfg, rng);
      optimizer.learningRate = learningRateAt(cfg, globalBatch, totalBatches);
      globalBatch++;
      const poison = nanAt !== undefined && globalBatch === Number(nanAt);
      const [lossT, correctT] = trainStep(model, optimizer, x, slice, numClasses, weights, poison, cfg.labelSmoothing);
      const [loss] = await lossT.data();
      const [correct] = await correctT.data();
      tf.dispose([lossT, correctT]);
      const batchAcc = correct! / slice.length;
      stepSeconds += (performance.now() - sb) / 1000;
      if (!Number.isFinite(loss)) {
        throw new GlyphError(
          'bad_input',
          `Training stopped at epoch ${epoch}, batch ${b + 1}: the loss became ${loss} (not a finite number). ` +
            `Lower the learning rate (now ${cfg.learningRate}) and check the data.`,
        );
      }
      mean.add(loss!, correct!, slice.length);
      const smoothed = smoothLoss.add(loss!);
      const smoothedAcc = smoothAcc.add(batchAcc);
      const seen = mean.seen;
      const now = performance.now();
      if (now - lastEvent > eventMs || b === batches - 1) {
        lastEvent = now;
        const sps = seen / Math.max(stepSeconds, 1e-6);
        const remaining = (batches - b - 1) * cfg.batchSize + (cfg.epochs - epoch) * data.train.length;
        hooks.post({
          type: 'batch',
          epoch,
          batch: b + 1,
          batches,
          loss: smoothed,
          accuracy: smoothedAcc,
          batchLoss: loss!,
          batchAccuracy: batchAcc,
          samplesPerSec: sps,
          etaSeconds: remaining / sps,
        });
      }
      await yieldToEvents();
    }
    if (finishedEarly) {
      // Stopped mid-epoch: the partial epoch is dropped; with no epoch done, keep the current weights.
      if (state.history.length === 0) {
        tf.dispose(best);
        best = model.getWeights().map((w) => w.clone());
      }
      break;
    }
    const val = data.validation.length ? await evaluate(model, images, data.validation, size) : null;
    state.trainSeconds += stepSeconds;
    state.trainSamples += mean.seen;
    const stats: EpochStats = {
      epoch,
      loss: mean.loss,
      accuracy: mean.accuracy,
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      samplesPerSec: mean.seen / Math.max(stepSeconds, 1e-6),
      seconds: (performance.now() - t0) / 1000,
      learningRate: optimizer.learningRate,
      numTensors: 0,
    };
    const monitored = stats.valLoss ?? stats.loss;
    if (state.bestValLoss === null || monitored < state.bestValLoss) {
      state.bestValLoss = monitored;
      state.bestEpoch = epoch;
      state.wait = 0;
      tf.dispose(best);
      best = model.getWeights().map((w) => w.clone());
    } else state.wait++;
    stats.numTensors = tf.memory().numTensors;
    state.history = [...state.history, stats];
    state.epoch = epoch;
    state.rngState = rng.state;
    const optWeights = await optimizer.getWeights();
    const checkpoint = await writeCheckpoint(input.checkpointDir, state, {
      weights: model.weights.map((w, i) => ({ name: `w${i}`, tensor: w.read() })),
      best: best.map((t, i) => ({ name: `w${i}`, tensor: t })),
      optimizer: optWeights,
    });
    // getWeights() makes a fresh 'iter' scalar each call; the moments are the optimizer's own variables.
    optWeights[0]?.tensor.dispose();
    const epochSps = state.trainSamples / Math.max(state.trainSeconds, 1e-6);
    hooks.post({ type: 'epoch', stats, checkpoint, etaSeconds: ((cfg.epochs - epoch) * data.train.length) / epochSps });
    if (cfg.patience > 0 && state.wait >= cfg.patience && epoch < cfg.epochs) {
      stoppedEarly = true;
      break;
    }
  }

  // The finished model: the best epoch's weights.
  model.setWeights(best);
  const metrics = await saveFinishedModel(model, input, data, images, state, backend, stoppedEarly || finishedEarly);
  tf.dispose(best);
  model.dispose();
  optimizer.dispose();
  hooks.post({ type: 'done', outDir: input.outDir, classes: data.classes, history: state.history, metrics, snapshot: data.snapshot, backend });
}
