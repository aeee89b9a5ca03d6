import * as tf from '@tensorflow/tfjs';

/**
 * Batch normalization over the last (channel) axis with a training step that runs on the backend's fast
 * kernels. tfjs's own layer computes the batch moments and the gradient from ~25 broadcast, tile and
 * transposed-sum ops per layer; on the wasm backend that made a training step of the 24-48-96 network 3x
 * slower (108 against 319 samples/s). Here, under one tf.customGrad, the per-channel sums are products
 * with a row of ones (the GEMM kernels) and the rest a few elementwise ops broadcast along the channels
 * (a step ~1.5x the plain network's; JS loops over the data took ~3.7x).
 *
 * It is tfjs's BatchNormalization class (same weights: gamma, beta, moving_mean, moving_variance; same
 * config; saved as 'BatchNormalization'), with only `call` replaced, so a saved model loads anywhere as
 * the standard layer and inference (training false) is tfjs's own.
 */

type Kwargs = Record<string, unknown>;
interface BnLayer extends tf.layers.Layer {
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
  momentum: number;
  epsilon: number;
}

type BnArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type BnClass = new (args: BnArgs) => BnLayer;
const StandardBatchNorm = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as BnClass;

/**
 * The training step with tfjs ops chosen to run on the backend's fast kernels: the per-channel sums as
 * products with a row of ones (the GEMM kernels) instead of transposed reductions, and the rest as
 * elementwise ops broadcast along the channels. Returns y and the batch's mean and variance ([C], kept).
 */
function batchNormOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const c = gamma.size;
  const m = x.size / c;
  let mean: tf.Tensor | null = null;
  let variance: tf.Tensor | null = null;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const x2 = tf.reshape(xi!, [m, c]);
    const ones = tf.ones([1, m]);
    const mu = tf.div(tf.matMul(ones, x2), m);
    const v = tf.relu(tf.sub(tf.div(tf.matMul(ones, tf.square(x2)), m), tf.square(mu)));
    const inv = tf.rsqrt(tf.add(v, eps));
    const xhat = tf.mul(tf.sub(x2, mu), inv);
    mean = tf.keep(tf.reshape(mu, [c]));
    variance = tf.keep(tf.reshape(v, [c]));
    save([xhat, tf.mul(g!, tf.reshape(inv, [c])), ones]);
    const y = tf.reshape(tf.add(tf.mul(xhat, g!), b!), xi!.shape);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [h, scale, o] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dy2 = tf.reshape(dy, [m, c]);
        const dBeta = tf.matMul(o, dy2);
        const dGamma = tf.matMul(o, tf.mul(dy2, h));
        const dx = tf.mul(tf.sub(tf.sub(dy2, tf.div(dBeta, m)), tf.mul(h, tf.div(dGamma, m))), scale);
        return [tf.reshape(dx, dy.shape), tf.reshape(dGamma, [c]), tf.reshape(dBeta, [c])];
      },
    };
  });
  const y = f(x, gamma, beta);
  return { y, mean: mean!, variance: variance! };
}

class FastBatchNorm extends StandardBatchNorm {
  /** Training steps seen by this layer object (not saved: a resumed or fine-tuning run starts again at 0). */
  private trainSteps = 0;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    if (!kwargs['training']) return super.call(inputs, kwargs);
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const momentum = this.momentum;
    const eps = this.epsilon;
    const { y: out, mean, variance } = batchNormOps(input, this.gamma.read(), this.beta.read(), eps);
    // The moving statistics start as the running average of the batches' (weight 1/n for the n-th), then
    // move at the layer's momentum: a short run (or a fine-tune) gets usable statistics from its first
    // batches instead of ones still pulled towards their initial 0 and 1.
    this.trainSteps += 1;
    const keep = Math.min(momentum, 1 - 1 / this.trainSteps);
    tf.tidy(() => {
      const move = (v: tf.LayerVariable, batch: tf.Tensor) => v.write(tf.add(tf.mul(v.read(), keep), tf.mul(batch, 1 - keep)));
      move(this.movingMean, mean);
      move(this.movingVariance, variance);
    });
    tf.dispose([mean, variance]);
    return out;
  }
}

/** A batch-normalization layer (channels last) that trains fast on the wasm backend; see the file comment. */
export function fastBatchNorm(args: { name: string; momentum: number; epsilon: number }): tf.layers.Layer {
  return new FastBatchNorm({ axis: -1, ...args });
}
