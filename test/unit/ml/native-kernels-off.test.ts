import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { kernelTiers } from '../../../main/core/ml/kernels';
import { nativeCalls } from '../../../main/core/ml/kernels/addon';
import { cpuReference, onBackend, relDiff, values } from './kernels-fixtures';

// Its own file: the switch is read once per process, when the addon would first load. This is also
// what a machine where the addon did not build gets: the wasm kernels, and a description saying why.
process.env.GLYPHLAB_NATIVE_KERNELS = '0';

describe('with the native kernels switched off', () => {
  it('says so, keeps wasm Conv2D, and trains a conv layer to the cpu result on the wasm kernels', async () => {
    const info = await initBackend('wasm');
    expect(info.reason).toMatch(/native kernels off \(GLYPHLAB_NATIVE_KERNELS=0\)$/);
    expect(info.kernels).not.toContain('Conv2D');
    expect(info.kernels).toContain('Conv2DBackpropFilter');
    // Every kernel registered its JS tier (then tfjs's own where there is one).
    expect(kernelTiers('wasm')).toMatchObject({ Conv2DBackpropFilter: 'js', BatchMatMul: 'js > tfjs', MaxPoolGrad: 'js > tfjs', Sum: 'js > tfjs', GlyphlabAdamStep: 'js' });
    cpuReference();
    const run = () => {
      const x = tf.tensor4d(values(3 * 9 * 9 * 8, 51), [3, 9, 9, 8]);
      const f = tf.tensor4d(values(3 * 3 * 8 * 12, 52), [3, 3, 8, 12]);
      const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([x, f]);
      const y = tf.conv2d(x, f, 1, 'same');
      tf.dispose([x, f]);
      return [y, dx!, df!];
    };
    const ref = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    for (let i = 0; i < ref.length; i++) expect(relDiff(ref[i]!, got[i]!)).toBeLessThan(1e-5);
    expect(nativeCalls()).toBe(0);
  });
});
