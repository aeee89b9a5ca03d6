import * as tf from '@tensorflow/tfjs';
import { GlyphError } from '../../common/errors';
import type { FusedAdam } from '../ml/adam';
import { type CheckpointState, cleanTempDirs, latestCheckpointDir, readCheckpoint } from './checkpoint';
import { initWeightsFrom } from './fine-tune';
import type { WorkerInput } from './protocol';
import type { Rng } from './rng';

/** Where a run starts: its state and the best weights so far (the caller disposes them). */
export interface StartState {
  state: CheckpointState;
  best: tf.Tensor[];
}

/**
 * Sets the model, optimizer and rng up for a run: from the newest checkpoint when resuming, else from
 * `config.initFrom`'s weights (fine-tune), else as built. Half-written checkpoints are removed first.
 */
export async function startState(input: WorkerInput, model: tf.LayersModel, optimizer: FusedAdam, rng: Rng): Promise<StartState> {
  let state: CheckpointState = {
    epoch: 0,
    history: [],
    bestValLoss: null,
    bestEpoch: 0,
    wait: 0,
    rngState: rng.state,
    trainSeconds: 0,
    trainSamples: 0,
  };
  let best: tf.Tensor[] = model.getWeights().map((w) => w.clone());

  cleanTempDirs(input.checkpointDir);
  const ckptDir = input.resume ? latestCheckpointDir(input.checkpointDir) : null;
  if (input.resume && !ckptDir) throw new GlyphError('not_found', `${input.checkpointDir}: no checkpoint to resume from`);
  if (ckptDir) {
    const ck = readCheckpoint(ckptDir);
    if (ck.weights.length !== model.weights.length) {
      throw new GlyphError('bad_input', `${ckptDir}: checkpoint does not match the network (${ck.weights.length} weights, expected ${model.weights.length})`);
    }
    model.setWeights(ck.weights.map((w) => w.tensor));
    tf.dispose(ck.weights.map((w) => w.tensor));
    tf.dispose(best);
    best = ck.best.map((w) => w.tensor);
    if (ck.optimizer.length) await optimizer.setWeights(ck.optimizer);
    tf.dispose(ck.optimizer.map((w) => w.tensor));
    state = ck.state;
    rng.state = state.rngState;
  } else if (input.config.initFrom !== undefined) {
    await initWeightsFrom(model, input.config.initFrom);
    tf.dispose(best);
    best = model.getWeights().map((w) => w.clone());
  }
  return { state, best };
}
