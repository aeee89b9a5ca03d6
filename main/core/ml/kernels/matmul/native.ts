import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { nativeOr, type NativeKernels } from '../addon';
import { float32Heap, heapViews } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';

/**
 * Unbatched float32 BatchMatMul (the dense layers' product and both its gradients) on the native SGEMM,
 * transposes read in place through strides. Anything else goes to `next` (js.ts).
 */
export function makeNativeBatchMatMul(k: NativeKernels, next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ a: TensorInfo; b: TensorInfo }, { transposeA: boolean; transposeB: boolean }>;
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const heap = float32Heap(args.backend, a, b);
    if (heap == null) return next(rawArgs);
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra < 2 || rb < 2 || tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1) {
      return next(rawArgs);
    }
    const [a0, a1] = [a.shape[ra - 2]!, a.shape[ra - 1]!];
    const [b0, b1] = [b.shape[rb - 2]!, b.shape[rb - 1]!];
    const [m, kA] = transposeA ? [a1, a0] : [a0, a1];
    const [kB, n] = transposeB ? [b1, b0] : [b0, b1];
    if (kA !== kB) return next(rawArgs); // tfjs's own kernel throws its usual shape error
    const outShape = [...(ra >= rb ? a.shape : b.shape).slice(0, -2), m, n];
    const { out, views, outView } = heapViews(heap, [a, b], outShape);
    return nativeOr(heap, out, () => k.matmul(views[0]!, views[1]!, outView, m, n, kA, transposeA, transposeB), 'matmul', () => next(rawArgs));
  };
}
