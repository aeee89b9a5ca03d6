import fs from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { EpochStats } from '../../common/contract/training';
import { type NamedTensor, readTensors, writeTensors } from './tensor-files';

/** Everything a resumed run needs besides the tensors. */
export interface CheckpointState {
  /** Epochs completed. */
  epoch: number;
  history: EpochStats[];
  bestValLoss: number | null;
  bestEpoch: number;
  /** Epochs since the best validation loss (early stopping). */
  wait: number;
  rngState: number;
  trainSeconds: number;
  trainSamples: number;
}

interface StoredState extends CheckpointState {
  weights: tf.io.WeightsManifestEntry[];
  best: tf.io.WeightsManifestEntry[];
  optimizer: tf.io.WeightsManifestEntry[];
}

export interface LoadedCheckpoint {
  dir: string;
  state: CheckpointState;
  weights: NamedTensor[];
  best: NamedTensor[];
  optimizer: NamedTensor[];
}

const CKPT_RE = /^ckpt-(\d+)$/;

/**
 * Writes one epoch's checkpoint atomically: everything goes to a temp folder, state.json last, then
 * one rename makes it `ckpt-NNNN`. A kill at any point leaves either the previous checkpoint or the
 * new one, never a partial `ckpt-*`. Older checkpoints and stray temp folders are removed afterwards.
 */
export async function writeCheckpoint(
  root: string,
  state: CheckpointState,
  tensors: { weights: NamedTensor[]; best: NamedTensor[]; optimizer: NamedTensor[] },
): Promise<string> {
  fs.mkdirSync(root, { recursive: true });
  const name = `ckpt-${String(state.epoch).padStart(4, '0')}`;
  const tmp = path.join(root, `tmp-${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(tmp);
  const stored: StoredState = {
    ...state,
    weights: await writeTensors(path.join(tmp, 'weights.bin'), tensors.weights),
    best: await writeTensors(path.join(tmp, 'best.bin'), tensors.best),
    optimizer: await writeTensors(path.join(tmp, 'optimizer.bin'), tensors.optimizer),
  };
  const stateFile = path.join(tmp, 'state.json');
  fs.writeFileSync(stateFile, JSON.stringify(stored));
  for (const f of ['weights.bin', 'best.bin', 'optimizer.bin', 'state.json']) {
    const fd = fs.openSync(path.join(tmp, f), 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  const final = path.join(root, name);
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(tmp, final);
  for (const entry of fs.readdirSync(root)) {
    if (entry === name) continue;
    if (CKPT_RE.test(entry)) {
      // Renamed out of the ckpt-* names first: a kill during the removal must not leave a partial ckpt-*.
      const doomed = path.join(root, `tmp-old-${entry}-${process.pid}-${Date.now()}`);
      fs.renameSync(path.join(root, entry), doomed);
      fs.rmSync(doomed, { recursive: true, force: true });
    } else if (entry.startsWith('tmp-')) {
      fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    }
  }
  return final;
}

/** The newest complete checkpoint under `root`, or null. */
export function latestCheckpointDir(root: string): string | null {
  if (!fs.existsSync(root)) return null;
  const dirs = fs
    .readdirSync(root)
    .filter((e) => CKPT_RE.test(e) && fs.existsSync(path.join(root, e, 'state.json')))
    .sort()
    .reverse();
  return dirs[0] ? path.join(root, dirs[0]) : null;
}

export function readCheckpoint(dir: string): LoadedCheckpoint {
  const stored = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as StoredState;
  const { weights, best, optimizer, ...state } = stored;
  return {
    dir,
    state,
    weights: readTensors(path.join(dir, 'weights.bin'), weights),
    best: readTensors(path.join(dir, 'best.bin'), best),
    optimizer: readTensors(path.join(dir, 'optimizer.bin'), optimizer),
  };
}

/** Removes leftover temp folders (from a kill mid-write). */
export function cleanTempDirs(root: string): void {
  if (!fs.existsSync(root)) return;
  for (const e of fs.readdirSync(root)) if (e.startsWith('tmp-')) fs.rmSync(path.join(root, e), { recursive: true, force: true });
}
