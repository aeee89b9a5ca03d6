import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import type { KernelBackendLike } from './registry';

/**
 * The wasm backend's public methods (BackendWasm.makeOutput / typedArrayFromHeap) that let a kernel
 * read and write tensors in place in the wasm heap. Detected at run time: a backend without them (or
 * a future tfjs that renames them) makes our heap kernels fall back to the backend's own.
 */
export interface HeapBackend extends KernelBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function isHeapBackend(b: unknown): b is HeapBackend {
  const o = b as Partial<HeapBackend> | null;
  return o != null && typeof o.makeOutput === 'function' && typeof o.typedArrayFromHeap === 'function';
}

/** The heap backend when every tensor is float32, else null (the kernel's next tier runs). */
export function float32Heap(backend: unknown, ...ts: TensorInfo[]): HeapBackend | null {
  return isHeapBackend(backend) && ts.every((t) => t.dtype === 'float32') ? backend : null;
}

/** Float32 views of inputs and a fresh output (views taken after allocating: allocation can grow the heap). */
export function heapViews(backend: HeapBackend, inputs: TensorInfo[], outShape: number[]): { out: TensorInfo; views: Float32Array[]; outView: Float32Array } {
  const out = backend.makeOutput(outShape, 'float32');
  const views = inputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  return { out, views, outView: backend.typedArrayFromHeap(out) as Float32Array };
}

/** dst [c, r] = src [r, c] transposed, in 32x32 tiles (both sides stay in cache). */
export function transposeInto(src: Float32Array, dst: Float32Array, r: number, c: number): void {
  const T = 32;
  for (let i0 = 0; i0 < r; i0 += T) {
    const i1 = Math.min(r, i0 + T);
    for (let j0 = 0; j0 < c; j0 += T) {
      const j1 = Math.min(c, j0 + T);
      for (let i = i0; i < i1; i++) {
        const s = i * c;
        for (let j = j0; j < j1; j++) dst[j * r + i] = src[s + j]!;
      }
    }
  }
}
