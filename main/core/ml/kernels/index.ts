import { nativeKernels, type NativeKernels } from './addon';
import { makeAdamStep } from './adam/js';
import { ADAM_STEP } from './adam/loop';
import { makeNativeAdamStep } from './adam/native';
import { makeNativeConv2D } from './conv2d/native';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter/js';
import { makeNativeConv2DBackpropFilter } from './conv2d-backprop-filter/native';
import { makeConv2DBackpropInput } from './conv2d-backprop-input/js';
import { makeNativeConv2DBackpropInput } from './conv2d-backprop-input/native';
import { makeCast, makeIdentity } from './identity/js';
import { makeBatchMatMul } from './matmul/js';
import { makeNativeBatchMatMul } from './matmul/native';
import { makeMaxPoolGrad } from './max-pool-grad/js';
import { makeNativeMaxPoolGrad } from './max-pool-grad/native';
import { makeSum } from './sum/js';
import { makeNativeSum } from './sum/native';
import { replaceKernel, replacedKernels, restoreKernel, restoreKernels, type AnyKernel } from './registry';

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
  /** wasm only: the native tier (addon.ts) in front of each kernel where the addon loads (default true). */
  native?: boolean;
}

/** Per backend, each registered kernel's tiers in the order a call tries them, e.g. 'native > js > tfjs'. */
const plans = new Map<string, Record<string, string>>();

/** The tiers registered for each kernel of a backend (for benches and the docs' figures). */
export function kernelTiers(backendName: string): Record<string, string> {
  return { ...plans.get(backendName) };
}

/**
 * Install the project's training kernels on a tfjs backend ('wasm', or 'cpu' for tests/comparison).
 * Each kernel's tiers are chosen here, once: on wasm with the native addon loaded, the native kernel
 * (native/; Conv2D and Conv2DBackpropInput only with its AVX2 micro-kernel) first, then the JS tier (a composite of the backend's fast kernels, or a loop on the wasm
 * heap) for the cases the native one does not take, then tfjs's own kernel where one exists.
 *   Conv2D                native > tfjs (XNNPACK)       Conv2DBackpropFilter  native > js (im2col + BatchMatMul)
 *   Conv2DBackpropInput   native > js (Conv2D) > tfjs    BatchMatMul           native > js (Transpose + tfjs)
 *   MaxPoolGrad           native > js > tfjs             Sum                   native > js > tfjs
 *   GlyphlabAdamStep      native > js                    Identity, Cast        js (shares data) > tfjs
 * Heap kernels (loops on the wasm memory), Adam and Identity are wasm only; on cpu the composites only.
 * Idempotent (a second call re-chooses, e.g. { native: false }). Returns the names of the kernels now replaced.
 */
export function registerTrainingKernels(backendName: string, opts: TrainingKernelOptions = {}): string[] {
  const want = {
    conv2dBackpropFilter: true, conv2dBackpropInput: true, batchMatMul: true, maxPoolGrad: true, sum: true, identity: true, adam: true,
    native: true,
    ...opts,
  };
  const wasm = backendName === 'wasm';
  const k: NativeKernels | null = want.native && wasm ? nativeKernels() : null;
  // The portable micro-kernel (no AVX2+FMA: MSVC builds, ARM) runs the GEMM at about a third of the AVX2 speed;
  // there XNNPACK's convolutions are faster for Conv2D and the input gradient (docs/kernels.md), so those two
  // keep their XNNPACK tiers.
  const kConv = k && k.simd() !== 'generic' ? k : null;
  const plan: Record<string, string> = {};
  const put = (name: string, tiers: string, make: (orig: AnyKernel | null) => AnyKernel, addon = k) => {
    replaceKernel(backendName, name, make);
    plan[name] = addon ? tiers : tiers.replace(/^native > /, '');
  };
  // The native tier in front of the JS one, where the addon loaded.
  const front = (js: AnyKernel, native: (k: NativeKernels, next: AnyKernel) => AnyKernel, addon = k) => (addon ? native(addon, js) : js);
  if (want.conv2dBackpropFilter) {
    put('Conv2DBackpropFilter', 'native > js', (orig) => front(makeConv2DBackpropFilter(backendName, orig), makeNativeConv2DBackpropFilter));
  }
  if (want.conv2dBackpropInput) {
    put('Conv2DBackpropInput', 'native > js > tfjs', (orig) => front(makeConv2DBackpropInput(backendName, orig), makeNativeConv2DBackpropInput, kConv), kConv);
  }
  if (want.batchMatMul) put('BatchMatMul', 'native > js > tfjs', (orig) => front(makeBatchMatMul(backendName, orig), makeNativeBatchMatMul));
  if (kConv) put('Conv2D', 'native > tfjs', (orig) => makeNativeConv2D(kConv, orig));
  else restoreKernel(backendName, 'Conv2D');
  if (wasm && want.maxPoolGrad) put('MaxPoolGrad', 'native > js > tfjs', (orig) => front(makeMaxPoolGrad(orig), makeNativeMaxPoolGrad));
  if (wasm && want.sum) put('Sum', 'native > js > tfjs', (orig) => front(makeSum(orig), makeNativeSum));
  if (wasm && want.adam) put(ADAM_STEP, 'native > js', () => front(makeAdamStep(), makeNativeAdamStep));
  // wasm's Identity copies; cpu's already shares.
  if (wasm && want.identity) {
    put('Identity', 'js > tfjs', (orig) => makeIdentity(orig));
    put('Cast', 'js > tfjs', (orig) => makeCast(orig));
  }
  plans.set(backendName, plan);
  return replacedKernels(backendName);
}
