import * as tf from '@tensorflow/tfjs';
import { initBackend, type TrainingBackendInfo } from '../../main/core/ml/backends';
import { buildModel } from '../../main/core/ml/model';
import type { ReplicaInit, ShardStep } from './protocol';

/**
 * One model replica of data-parallel training: computes the gradients of its shard of a batch and
 * applies the summed gradients of all shards with its own optimizer. Replicas that start from the
 * same weights and apply the same gradients stay identical (same kernels, same order of operations),
 * so N replicas on shards of a batch train exactly like one model on the whole batch.
 */
export class Replica {
  private constructor(
    readonly model: tf.LayersModel,
    readonly backend: TrainingBackendInfo,
  ) {}

  static async create(init: ReplicaInit): Promise<Replica> {
    // One core per replica: the replicas are the parallelism.
    const backend = await initBackend(init.backend, { wasmThreads: 1 });
    const model = buildModel(init.config, init.numClasses);
    const r = new Replica(model, backend);
    if (init.weights) r.setWeights(init.weights);
    return r;
  }

  private get vars(): tf.LayerVariable[] {
    return this.model.trainableWeights;
  }

  /** Gradients of sum(w*ce)/norm over this shard, in trainableWeights order; loss and #correct of the shard. */
  computeGrads(s: ShardStep): { grads: Float32Array[]; loss: number; correct: number } {
    const n = s.y.length;
    const size = this.model.inputs[0]!.shape[1]!;
    const numClasses = this.model.outputs[0]!.shape[1]!;
    return tf.tidy(() => {
      const xs = tf.tensor4d(s.x, [n, size, size, 1]);
      const labels = tf.tensor1d(s.y, 'int32');
      const ys = tf.oneHot(labels, numClasses).toFloat();
      const ws = s.sampleWeights ? tf.tensor1d(s.sampleWeights) : null;
      let correct: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const p = this.model.apply(xs, { training: true }) as tf.Tensor2D;
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), labels), 'float32')) as tf.Scalar);
        const ce = tf.neg(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1))), 1));
        return tf.div(tf.sum(ws ? tf.mul(ce, ws) : ce), s.norm) as tf.Scalar;
      }, this.vars.map((v) => (v as unknown as { val: tf.Variable }).val));
      const out = this.vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
      const c = correct as tf.Scalar | null;
      const nCorrect = c ? c.dataSync()[0]! : 0;
      c?.dispose(); // kept out of variableGrads' scope: tidy does not release it
      return { grads: out, loss: value.dataSync()[0]!, correct: nCorrect };
    });
  }

  /** Apply (summed) gradients with the model's optimizer. */
  applyGrads(grads: Float32Array[]): void {
    const vars = this.vars;
    if (grads.length !== vars.length) throw new Error(`expected ${vars.length} gradients, got ${grads.length}`);
    tf.tidy(() => {
      const map: tf.NamedTensorMap = {};
      vars.forEach((v, i) => (map[v.name] = tf.tensor(grads[i]!, v.shape as number[])));
      this.model.optimizer.applyGradients(map);
    });
  }

  getWeights(): Float32Array[] {
    return this.model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  }

  setWeights(weights: Float32Array[]): void {
    const ws = this.model.weights;
    if (weights.length !== ws.length) throw new Error(`expected ${ws.length} weight arrays, got ${weights.length}`);
    const ts = ws.map((w, i) => tf.tensor(weights[i]!, w.shape as number[]));
    this.model.setWeights(ts);
    tf.dispose(ts);
  }

  setLearningRate(lr: number): void {
    (this.model.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  dispose(): void {
    this.model.dispose();
  }
}
