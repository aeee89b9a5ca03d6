import * as tf from '@tensorflow/tfjs';
import { ADAM_STEP, type AdamStepAttrs } from './kernels/adam/loop';

/** A named tensor as optimizers take and give them (tfjs-core's NamedTensor). */
type NamedTensor = { name: string; tensor: tf.Tensor };

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
  name: string;
}

/**
 * Adam with tfjs's AdamOptimizer's update, state and saved weights ([iterations, every `<var>/m`, every
 * `<var>/v`]), so checkpoints of either resume in the other. Where the backend has the project's
 * fused kernel (wasm), each variable's update is one pass (kernels/adam/) instead of ~14 ops
 * and their engine overhead; elsewhere the same update in tfjs ops.
 */
export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    return 'Adam';
  }

  private moments: Array<Moments | undefined> = [];

  constructor(
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const t = this.iterations + 1;
    const attrs: AdamStepAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** t,
      correction2: 1 - this.beta2 ** t,
    };
    const fused = tf.getKernel(ADAM_STEP, tf.getBackend()) != null;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`Adam: no variable named ${name}`);
        const g = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
        this.moments[i] ??= {
          name,
          m: tf.tidy(() => tf.zerosLike(value).variable(false)),
          v: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        if (g == null) return;
        const { m, v } = this.moments[i]!;
        if (fused) {
          const [w1, m1, v1] = tf.engine().runKernel(ADAM_STEP, { value, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          m.assign(m1!);
          v.assign(v1!);
          value.assign(w1!);
          return;
        }
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const mHat = tf.div(m1, attrs.correction1);
        const vHat = tf.div(v1, attrs.correction2);
        m.assign(m1);
        v.assign(v1);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose(this.moments.flatMap((s) => (s ? [s.m, s.v] : [])));
    this.moments = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const all = this.moments.filter((s): s is Moments => s != null);
    return [
      await this.saveIterations(),
      ...all.map((s) => ({ name: `${s.name}/m`, tensor: s.m })),
      ...all.map((s) => ({ name: `${s.name}/v`, tensor: s.v })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const n = rest.length / 2;
    // The new moments first: the weights given may be this optimizer's own (getWeights -> setWeights).
    const moments = rest.slice(0, n).map((w, i) => ({
      name: w.name.replace(/\/m$/, ''),
      m: w.tensor.variable(false),
      v: rest[n + i]!.tensor.variable(false),
    }));
    this.dispose();
    this.moments = moments;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
