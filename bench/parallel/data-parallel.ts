import { Worker } from 'node:worker_threads';
import { GlyphError } from '../../main/common/errors';
import type { TrainingBackendInfo } from '../../main/core/ml/backends';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol';

class ReplicaHandle {
  private waiting: Array<{ resolve: (m: FromReplica) => void; reject: (e: Error) => void }> = [];
  private failed: Error | null = null;
  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromReplica) => {
      const w = this.waiting.shift();
      if (!w) return;
      if (m.type === 'error') w.reject(new GlyphError('internal', `training replica: ${m.message}`));
      else w.resolve(m);
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    worker.on('error', (e) => fail(new GlyphError('internal', `training replica crashed: ${e.message}`)));
    worker.on('exit', (code) => fail(new GlyphError('internal', `training replica exited (${code})`)));
  }
  request<T extends FromReplica['type']>(m: ToReplica, expect: T, transfer: ArrayBuffer[] = []): Promise<Extract<FromReplica, { type: T }>> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: (r) => (r.type === expect ? resolve(r as Extract<FromReplica, { type: T }>) : reject(new Error(`replica sent ${r.type}, expected ${expect}`))),
        reject,
      });
      this.worker.postMessage(m, transfer);
    });
  }
}

export interface DataParallelOptions extends ReplicaInit {
  /** Worker threads, each with its own single-threaded tfjs backend (2 on a 2-core machine). */
  replicas: number;
  /** The replica worker built from replica.worker.ts (bench/train-vs-pytorch.lib.ts buildReplicaWorker). */
  workerFile: string;
}

/**
 * Data-parallel training over worker threads: each batch is split into one shard per replica, every
 * replica computes the gradients of its shard, the trainer sums them and every replica applies the
 * sum. Mathematically one step on the whole batch (same loss normalisation); the summed gradients of
 * step k travel with the shards of step k+1 (one round trip per step).
 */
export class DataParallelTrainer {
  private pending: Float32Array[] | null = null;
  private constructor(
    private readonly handles: ReplicaHandle[],
    readonly backend: TrainingBackendInfo,
  ) {}

  static async create(opts: DataParallelOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(opts.replicas) || opts.replicas < 1) throw new GlyphError('bad_input', `replicas must be >= 1, got ${opts.replicas}`);
    const handles = Array.from({ length: opts.replicas }, () => new ReplicaHandle(new Worker(opts.workerFile)));
    try {
      const { replicas: _r, workerFile: _w, ...init } = opts;
      // The first replica initialises the weights (unless given); the others copy them.
      const first = await handles[0]!.request({ type: 'init', init }, 'ready');
      const weights = init.weights ?? (await handles[0]!.request({ type: 'getWeights' }, 'weights')).weights;
      await Promise.all(handles.slice(1).map((h) => h.request({ type: 'init', init: { ...init, weights } }, 'ready')));
      return new DataParallelTrainer(handles, first.backend);
    } catch (e) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw e;
    }
  }

  get replicas(): number {
    return this.handles.length;
  }

  /**
   * One optimizer step on a batch (x: [n, size, size, 1] pixels, y: class indices). Resolves with the
   * batch loss (sum(w*ce)/sum(w)) and the number of correct predictions, computed before the update.
   */
  async step(x: Float32Array, y: Int32Array, sampleWeights?: Float32Array): Promise<{ loss: number; correct: number }> {
    const n = y.length;
    if (n === 0) throw new GlyphError('bad_input', 'empty batch');
    const px = x.length / n;
    const norm = sampleWeights ? sampleWeights.reduce((a, b) => a + b, 0) : n;
    const k = Math.min(this.handles.length, n);
    const apply = this.pending;
    this.pending = null;
    const results = await Promise.all(
      this.handles.map((h, i) => {
        const lo = Math.floor((i * n) / k);
        const hi = Math.floor(((i + 1) * n) / k);
        const shard =
          i < k
            ? { x: x.slice(lo * px, hi * px), y: y.slice(lo, hi), sampleWeights: sampleWeights?.slice(lo, hi), norm }
            : null;
        // A replica without a shard (batch smaller than the replica count) still applies the update.
        if (!shard) return apply ? h.request({ type: 'apply', apply }, 'done').then(() => null) : null;
        const msg: ToReplica = { type: 'step', apply, shard };
        return h.request(msg, 'grads', [shard.x.buffer as ArrayBuffer]);
      }),
    );
    let loss = 0;
    let correct = 0;
    let sum: Float32Array[] | null = null;
    for (const r of results) {
      if (!r) continue;
      loss += r.loss;
      correct += r.correct;
      if (!sum) sum = r.grads;
      else r.grads.forEach((g, j) => {
        const s = sum![j]!;
        for (let q = 0; q < g.length; q++) s[q]! += g[q]!;
      });
    }
    this.pending = sum;
    return { loss, correct };
  }

  /** Apply the last step's update everywhere (done automatically by getWeights). */
  async flush(): Promise<void> {
    const apply = this.pending;
    if (!apply) return;
    this.pending = null;
    await Promise.all(this.handles.map((h) => h.request({ type: 'apply', apply }, 'done')));
  }

  /** Current weights (model.getWeights() order), after applying the pending update. */
  async getWeights(): Promise<Float32Array[]> {
    await this.flush();
    return (await this.handles[0]!.request({ type: 'getWeights' }, 'weights')).weights;
  }

  async setWeights(weights: Float32Array[]): Promise<void> {
    this.pending = null;
    await Promise.all(this.handles.map((h) => h.request({ type: 'setWeights', weights: weights.map((w) => w.slice()) }, 'done')));
  }

  async setLearningRate(learningRate: number): Promise<void> {
    await Promise.all(this.handles.map((h) => h.request({ type: 'setLearningRate', learningRate }, 'done')));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }
}
