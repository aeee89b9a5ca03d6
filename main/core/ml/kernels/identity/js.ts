import type { TensorInfo } from '@tensorflow/tfjs';
import type { AnyKernel, KernelArgs, KernelBackendLike } from '../registry';

interface RefCountingBackend extends KernelBackendLike {
  incRef(dataId: object): void;
}

function isRefCounting(b: unknown): b is RefCountingBackend {
  return typeof (b as Partial<RefCountingBackend> | null)?.incRef === 'function';
}

/**
 * Identity that shares the input's data (one more reference) instead of copying it, as tfjs's cpu and
 * webgl backends do; the wasm backend copies the whole tensor (3 copies of a 6 MB activation per
 * training step of the baseline model). tfjs kernels never write into their inputs, so sharing is
 * safe. Strings and backends without reference counting keep the original kernel.
 */
export function makeIdentity(original: AnyKernel | null): AnyKernel {
  if (original == null) throw new Error('Identity: the backend has no Identity kernel to replace');
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo }, unknown>;
    const { backend } = args;
    const { x } = args.inputs;
    if (x.dtype === 'string' || !isRefCounting(backend)) return original(rawArgs);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * Cast whose target dtype is the input's own (ReLU's gradient casts the float32 Step to float32):
 * shares the data like makeIdentity; real conversions keep the original kernel.
 */
export function makeCast(original: AnyKernel | null): AnyKernel {
  if (original == null) throw new Error('Cast: the backend has no Cast kernel to replace');
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo }, { dtype: string }>;
    const { backend } = args;
    const { x } = args.inputs;
    if (args.attrs.dtype !== x.dtype || x.dtype === 'string' || !isRefCounting(backend)) return original(rawArgs);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
