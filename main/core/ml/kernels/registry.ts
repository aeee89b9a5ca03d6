import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/**
 * The registry of the project's training kernels, and helpers for them. Kernels compose kernels that a tfjs backend already has,
 * looked up in tfjs's public kernel registry and called directly on TensorInfos (as tfjs's own
 * composite kernels do): no engine bookkeeping, every intermediate released with backend.disposeData.
 */

/** The structural part of a tfjs backend that kernels use (public KernelBackend API). */
export interface KernelBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

export interface KernelArgs<I, A> {
  inputs: I;
  backend: KernelBackendLike;
  attrs: A;
}

export type AnyKernel = (args: { inputs: unknown; backend: KernelBackendLike; attrs?: unknown }) => TensorInfo;

/** A backend's kernel by name; throws naming the backend when it has none. */
export function kernelOf(name: string, backendName: string): AnyKernel {
  const cfg = tf.getKernel(name, backendName);
  if (cfg == null) throw new Error(`tfjs backend '${backendName}' has no '${name}' kernel`);
  return cfg.kernelFunc as unknown as AnyKernel;
}

/** Call kernel `name` of the backend; the result is owned by the caller. */
export function run(name: string, backendName: string, backend: KernelBackendLike, inputs: unknown, attrs: unknown = {}): TensorInfo {
  return kernelOf(name, backendName)({ inputs, backend, attrs });
}

/** Collects intermediates and releases them (Reshape outputs share data but hold a reference). */
export class Scratch {
  private readonly items: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackendLike) {}
  keep<T extends TensorInfo>(t: T): T {
    this.items.push(t);
    return t;
  }
  release(): void {
    for (const t of this.items.splice(0)) this.backend.disposeData(t.dataId);
  }
}

/** Original kernels we replaced, per backend/name, so they can be restored and used as fallbacks. */
const originals = new Map<string, KernelConfig | null>();
const key = (backendName: string, name: string) => `${backendName}/${name}`;

/**
 * Register `make(original)` as kernel `name` of `backendName`, replacing the backend's own kernel if
 * any (it stays reachable as `original` for cases the new kernel does not handle). Idempotent: a
 * second call wraps the saved original again, never our own replacement.
 */
export function replaceKernel(
  backendName: string,
  name: string,
  make: (original: AnyKernel | null) => AnyKernel,
): void {
  const k = key(backendName, name);
  if (!originals.has(k)) originals.set(k, tf.getKernel(name, backendName) ?? null);
  const original = originals.get(k) ?? null;
  if (tf.getKernel(name, backendName) != null) tf.unregisterKernel(name, backendName);
  const kernelFunc = make(original ? (original.kernelFunc as unknown as AnyKernel) : null);
  registerKernelSilently({
    ...(original ?? {}),
    kernelName: name,
    backendName,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  });
}

/** Restore the backend's own kernel `name` (or remove ours where it had none); nothing if not replaced. */
export function restoreKernel(backendName: string, name: string): void {
  const k = key(backendName, name);
  if (!originals.has(k)) return;
  const cfg = originals.get(k);
  if (tf.getKernel(name, backendName) != null) tf.unregisterKernel(name, backendName);
  if (cfg) registerKernelSilently(cfg);
  originals.delete(k);
}

/** Restore the backend's own kernels (or remove ours where it had none). */
export function restoreKernels(backendName: string): void {
  for (const k of [...originals.keys()]) {
    const [b, name] = k.split('/') as [string, string];
    if (b === backendName) restoreKernel(b, name);
  }
}

/** Names of the kernels currently replaced on a backend. */
export function replacedKernels(backendName: string): string[] {
  return [...originals.keys()].filter((k) => k.startsWith(`${backendName}/`)).map((k) => k.split('/')[1]!);
}

function registerKernelSilently(cfg: KernelConfig): void {
  // tfjs warns when a kernel is re-registered; we unregistered first, so none is expected.
  tf.registerKernel(cfg);
}
