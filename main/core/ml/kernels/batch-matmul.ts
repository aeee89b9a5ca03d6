import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { isHeapBackend, transposeInto, wasmMemoryOfBackend, type HeapBackend } from './heap';
import { splitGemmAt } from './helper/split';
import { run, Scratch, type AnyKernel, type KernelArgs } from './registry';
import { GEMM_AT_COLUMNS, gemmAtFor } from './simd/gemm-at';

type Inputs = { a: TensorInfo; b: TensorInfo };
type Attrs = { transposeA: boolean; transposeB: boolean };

/**
 * Single (unbatched) products: the dense layers' forward product and their gradients dy·Wᵀ and xᵀ·dy.
 * On wasm, when the output has a multiple of 4 columns, on the project's SIMD product (simd/gemm-at)
 * with a transposed operand copied first: XNNPACK's fully-connected path packs its second operand on
 * every call, and here that is a weight matrix updated every step or a new gradient. Otherwise the
 * transposed variants run as an explicit Transpose followed by the backend's untransposed matmul: on
 * wasm only the latter takes XNNPACK's path, the transposed ones run a naive loop (5-10x slower).
 * Batched (rank > 2 with batch > 1) products keep the original kernel.
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
    if (batchA !== 1 || batchB !== 1) return original(rawArgs);
    if (isHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32') {
      const out = simdProduct(backend, a, b, transposeA, transposeB);
      if (out) return out;
    }
    if (!transposeA && !transposeB) return original(rawArgs);
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

/**
 * The product on the SIMD kernel, or null when it does not apply (columns, kernel unavailable). The
 * kernel reads both operands untransposed, so a transposed one is copied first; when that copy would be
 * larger, C = op(A)·op(B) is computed as (op(B)ᵀ·op(A)ᵀ)ᵀ instead (dy·Wᵀ: dy and the result are small,
 * W is not). Null also when either way costs more copying than the backend's own path would.
 */
function simdProduct(backend: HeapBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const rows = transposeA ? a1 : a0;
  const cols = transposeB ? b0 : b1;
  if (rows === 0 || cols === 0) return null;
  const sizeA = a0 * a1;
  const sizeB = b0 * b1;
  // Our copies are JS loops (transposeInto), counted at twice a native copy: measured on the dense layer,
  // xᵀ·dy (copying x, 74k floats) was 0.84-1.06 ms vs the backend's 0.75, dy·Wᵀ swapped (copying dy and
  // the result, 90k) 1.1-1.4 ms vs 2.6-3.1, and even direct (copying W, 295k) 1.7-1.9 ms vs 2.6.
  const JS_COPY = 2;
  const direct = cols % GEMM_AT_COLUMNS === 0 ? JS_COPY * ((transposeA ? sizeA : 0) + (transposeB ? sizeB : 0)) : Infinity;
  const swapped = rows % GEMM_AT_COLUMNS === 0 ? JS_COPY * ((transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + rows * cols) : Infinity;
  // The backend's path transposes natively and packs B on every call: take it when ours costs more
  // (e.g. an im2col times a gradient whose column count is not a multiple of 4: only the swap would fit).
  const backendCopies = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
  if (Math.min(direct, swapped) > backendCopies) return null;
  const memory = wasmMemoryOfBackend(backend);
  const gemm = memory ? gemmAtFor(memory) : null;
  if (!gemm) return null;
  const batchShape = (a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2);
  const out = backend.makeOutput([...batchShape, rows, cols], 'float32');
  const temps: TensorInfo[] = [];
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  // t [r, c] as stored, or a transposed copy [c, r].
  const operand = (t: TensorInfo, r: number, c: number, transpose: boolean): TensorInfo => {
    if (!transpose) return t;
    const copy = backend.makeOutput([c, r], 'float32');
    temps.push(copy);
    transposeInto(view(t), view(copy), r, c);
    return copy;
  };
  let ok = false;
  try {
    if (direct <= swapped) {
      const A = operand(a, a0, a1, transposeA);
      const B = operand(b, b0, b1, transposeB);
      // Views after every allocation (an allocation can grow the heap).
      splitGemmAt(backend, gemm, view(A), view(B), view(out), rows, cols);
    } else {
      const Bt = operand(b, b0, b1, !transposeB);
      const At = operand(a, a0, a1, !transposeA);
      const Ct = backend.makeOutput([cols, rows], 'float32');
      temps.push(Ct);
      splitGemmAt(backend, gemm, view(Bt), view(At), view(Ct), cols, rows);
      transposeInto(view(Ct), view(out), cols, rows);
    }
    ok = true;
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
    if (!ok) backend.disposeData(out.dataId);
  }
}
