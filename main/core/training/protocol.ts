import type { BackendInfo } from '../../common/contract/app';
import type { DatasetSnapshot, ModelMetrics } from '../../common/contract/models';
import type { EpochStats, TrainConfig } from '../../common/contract/training';
import type { ErrorType } from '../../common/errors';
import type { BackendPreference } from '../ml/backends';

/** What the training worker is started with (worker_threads workerData). */
export interface WorkerInput {
  dbPath: string;
  config: TrainConfig;
  /** The network settings (ModelConfig input), already checked. */
  modelConfig: Record<string, unknown>;
  backend: BackendPreference;
  /** Checkpoints of this run (`ckpt-NNNN` folders). */
  checkpointDir: string;
  /** Where the finished model's files go (the core then registers the folder). */
  outDir: string;
  /** Continue from the newest checkpoint in checkpointDir. */
  resume: boolean;
  name: string;
  /** Least time between batch messages (default 250 ms; tests use 0 to see every batch). */
  batchEventMs?: number;
}

export type WorkerMessage =
  | {
      type: 'ready';
      backend: BackendInfo;
      classes: string;
      snapshot: DatasetSnapshot;
      trainCount: number;
      validationCount: number;
      validationSource: 'split' | 'heldout';
      batches: number;
      startEpoch: number;
      /** Epochs already done (from the checkpoint when resuming). */
      history: EpochStats[];
    }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batches: number;
      /** Moving average of the batch losses/accuracies over the run (see curve.ts). */
      loss: number;
      accuracy: number;
      /** This batch's own figures (plain cross-entropy, share correct), training mode. */
      batchLoss: number;
      batchAccuracy: number;
      samplesPerSec: number;
      etaSeconds: number | null;
    }
  | { type: 'epoch'; stats: EpochStats; checkpoint: string; etaSeconds: number | null }
  | {
      type: 'done';
      outDir: string;
      classes: string;
      history: EpochStats[];
      metrics: ModelMetrics;
      snapshot: DatasetSnapshot;
      backend: BackendInfo;
    }
  | { type: 'stopped'; epoch: number }
  | { type: 'error'; errorType: ErrorType; message: string };

/** keep: end early but save the best model so far. */
/** stop: after the current batch (keep: save the best model so far); kill: end now, once no native call is in flight. */
export type MainMessage = { type: 'stop'; keep: boolean } | { type: 'kill' };
