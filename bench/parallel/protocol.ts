import type { BackendPreference, TrainingBackendInfo } from '../../main/core/ml/backends';
import type { ModelConfigInput } from '../../main/core/ml/model';

/** Messages between the data-parallel trainer and its replica threads. */
export interface ReplicaInit {
  config: ModelConfigInput;
  numClasses: number;
  backend: BackendPreference;
  /** Initial weights (model.getWeights() order); absent: the replica's own random init. */
  weights?: Float32Array[];
}

export interface ShardStep {
  x: Float32Array;
  y: Int32Array;
  /** Per-sample loss weights (class weights); absent: all 1. */
  sampleWeights?: Float32Array;
  /** Sum of the weights over the whole batch (the loss is sum(w*ce)/norm over all shards). */
  norm: number;
}

export type ToReplica =
  | { type: 'init'; init: ReplicaInit }
  | { type: 'step'; apply: Float32Array[] | null; shard: ShardStep }
  | { type: 'apply'; apply: Float32Array[] }
  | { type: 'getWeights' }
  | { type: 'setWeights'; weights: Float32Array[] }
  | { type: 'setLearningRate'; learningRate: number };

export type FromReplica =
  | { type: 'ready'; backend: TrainingBackendInfo }
  | { type: 'grads'; grads: Float32Array[]; loss: number; correct: number }
  | { type: 'done' }
  | { type: 'weights'; weights: Float32Array[] }
  | { type: 'error'; message: string };
