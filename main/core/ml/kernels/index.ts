import { ADAM_STEP, makeAdamStep } from './adam-step';
import { makeBatchMatMul } from './batch-matmul';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2DBackpropInput } from './conv2d-backprop-input';
import { makeCast, makeIdentity } from './identity';
import { makeMaxPoolGrad } from './max-pool-grad';
import { makeSum } from './sum';
import { replaceKernel, replacedKernels, restoreKernels, type AnyKernel } from './registry';
import { nativeKernels } from './native/addon';
import { makeNativeConv2D, makeNativeConv2DBackpropFilter, makeNativeConv2DBackpropInput } from './native/conv';
import { makeNativeBatchMatMul } from './native/matmul';

export { restoreKernels, replacedKernels };

/** Which of the project's kernels to install (all by default). */
export interface TrainingKernelOptions {
  conv2dBackpropFilter?: boolean;
  conv2dBackpropInput?: boolean;
  batchMatMul?: boolean;
  maxPoolGrad?: boolean;
  sum?: boolean;
  /** Identity and same-dtype Cast. */
  identity?: boolean;
  /** The fused Adam update (ml/adam.ts). */
  adam?: boolean;
  /**
   * wasm only: convolutions, their gradients and the dense products on the native kernels
   * (native/addon.ts) where the addon loads; the kernels above stay as their fallback.
   */
  native?: boolean;
}

/**
 * Install the project's training kernels on a tfjs backend ('wasm', or 'cpu' for tests/comparison):
 * Conv2DBackpropFilter (wasm has none) and Conv2DBackpropInput built from the backend's Conv2D,
 * untransposed BatchMatMul for the dense gradients, and single-pass MaxPoolGrad and bias-gradient Sum
 * (JS on the wasm heap; wasm only), the fused Adam update (wasm only), and an Identity (and same-dtype Cast) that shares data instead of copying it (wasm only).
 * Idempotent; call before or after tf.setBackend. Returns the names of the kernels now replaced.
 */
export function registerTrainingKernels(backendName: string, opts: TrainingKernelOptions = {}): string[] {
  const want = {
    conv2dBackpropFilter: true, conv2dBackpropInput: true, batchMatMul: true, maxPoolGrad: true, sum: true, identity: true, adam: true,
    native: true,
    ...opts,
  };
  // The native kernels go in front of the project's kernels, which handle what they do not.
  const native = want.native && backendName === 'wasm' && nativeKernels() != null;
  const front = (k: AnyKernel, nativeFront: (next: AnyKernel) => AnyKernel) => (native ? nativeFront(k) : k);
  if (want.conv2dBackpropFilter) {
    replaceKernel(backendName, 'Conv2DBackpropFilter', (orig) => front(makeConv2DBackpropFilter(backendName, orig), makeNativeConv2DBackpropFilter));
  }
  if (want.conv2dBackpropInput) {
    replaceKernel(backendName, 'Conv2DBackpropInput', (orig) => front(makeConv2DBackpropInput(backendName, orig), makeNativeConv2DBackpropInput));
  }
  if (want.batchMatMul) replaceKernel(backendName, 'BatchMatMul', (orig) => front(makeBatchMatMul(backendName, orig), makeNativeBatchMatMul));
  if (native) replaceKernel(backendName, 'Conv2D', (orig) => makeNativeConv2D(orig));
  // Heap kernels (JS loops on the wasm memory) only make sense on wasm.
  if (want.maxPoolGrad && backendName === 'wasm') replaceKernel(backendName, 'MaxPoolGrad', (orig) => makeMaxPoolGrad(orig));
  if (want.sum && backendName === 'wasm') replaceKernel(backendName, 'Sum', (orig) => makeSum(orig));
  if (want.adam && backendName === 'wasm') replaceKernel(backendName, ADAM_STEP, () => makeAdamStep());
  // wasm's Identity copies; cpu's already shares.
  if (want.identity && backendName === 'wasm') {
    replaceKernel(backendName, 'Identity', (orig) => makeIdentity(orig));
    replaceKernel(backendName, 'Cast', (orig) => makeCast(orig));
  }
  return replacedKernels(backendName);
}
