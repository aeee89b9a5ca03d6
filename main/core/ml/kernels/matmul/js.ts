import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { run, Scratch, type AnyKernel, type KernelArgs } from '../registry';

type Inputs = { a: TensorInfo; b: TensorInfo };
type Attrs = { transposeA: boolean; transposeB: boolean };

/**
 * Single (unbatched) products with a transposed operand (the dense layers' gradients dy·Wᵀ and xᵀ·dy)
 * as an explicit Transpose followed by the backend's untransposed matmul: on wasm only the latter takes
 * XNNPACK's path, the transposed ones run a naive loop (5-10x slower). Untransposed and batched
 * (rank > 2 with batch > 1) products keep the original kernel.
 */
export function makeBatchMatMul(backendName: string, original: AnyKernel | null): AnyKernel {
  if (original == null) throw new Error(`tfjs backend '${backendName}' has no BatchMatMul kernel to speed up`);
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend } = args;
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    if (batchA !== 1 || batchB !== 1 || (!transposeA && !transposeB)) return original(rawArgs);
    const s = new Scratch(backend);
    const swapLast2 = (x: TensorInfo) => {
      const r = x.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      return s.keep(run('Transpose', backendName, backend, { x }, { perm }));
    };
    try {
      const a2 = transposeA ? swapLast2(a) : a;
      const b2 = transposeB ? swapLast2(b) : b;
      return original({ inputs: { a: a2, b: b2 }, backend, attrs: { transposeA: false, transposeB: false } });
    } finally {
      s.release();
    }
  };
}
