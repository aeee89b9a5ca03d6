import { wasmMemoryOfBackend, type WasmMemoryLike } from '../heap';
import * as adam from './adam.wasm';
import * as gemmAt from './gemm-at.wasm';
import * as poolGrad from './pool-grad.wasm';
import * as sumRows from './sum-rows.wasm';

/**
 * The project's wasm SIMD modules (simd/*.wat), instantiated on tfjs-wasm's own memory so they read
 * and write tensors in place. Each has a shared-memory variant (tfjs-wasm's threaded build) and a
 * plain one (its single-threaded build). GLYPHLAB_SIMD=0 turns them all off: the kernels then take
 * their JS or backend paths.
 */
const MODULES = { adam, 'gemm-at': gemmAt, 'pool-grad': poolGrad, 'sum-rows': sumRows } as const;
export type SimdModule = keyof typeof MODULES;

/** The WebAssembly global (its value types are in the DOM library, which the core does not load). */
const Wasm = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  };
}).WebAssembly;

const instances = new Map<SimdModule, WeakMap<object, Record<string, unknown> | null>>();
let off: string | null = process.env.GLYPHLAB_SIMD === '0' ? 'turned off (GLYPHLAB_SIMD=0)' : null;

/** Why the SIMD kernels are not used, or null. */
export function simdDisabled(): string | null {
  return off;
}

/**
 * For benchmarks and tests: turn the SIMD kernels off (the other paths are used) or on again, in this
 * thread only (the kernel helper thread keeps its own setting; GLYPHLAB_SIMD=0 reaches both).
 */
export function setSimdEnabled(on: boolean): void {
  off = on ? null : 'turned off';
}

/**
 * Module `name`'s exports bound to `memory`, or null when SIMD is off or the module cannot be
 * instantiated there (the first failure is kept as the reason, and every kernel falls back).
 */
export function simdExports(name: SimdModule, memory: WasmMemoryLike): Record<string, unknown> | null {
  if (off) return null;
  let perMemory = instances.get(name);
  if (!perMemory) instances.set(name, (perMemory = new WeakMap()));
  const known = perMemory.get(memory);
  if (known !== undefined) return known;
  let exports: Record<string, unknown> | null = null;
  try {
    const variants = MODULES[name];
    const bytes = Buffer.from(memory.buffer instanceof SharedArrayBuffer ? variants.SHARED : variants.PLAIN, 'base64');
    exports = new Wasm.Instance(new Wasm.Module(bytes), { env: { memory } }).exports;
  } catch (e) {
    off = `the wasm SIMD kernels could not start (${name}): ${(e as Error).message}`;
  }
  perMemory.set(memory, exports);
  return exports;
}

/**
 * Whether the SIMD kernels run on `backend` (tfjs-wasm), for the backend description the UI and every
 * training record show: 'on', or 'off (why)'. Instantiates every module once (they are then cached).
 */
export function simdStatus(backend: unknown): string {
  const memory = wasmMemoryOfBackend(backend);
  if (!memory) return "off (tfjs-wasm's memory was not found)";
  for (const name of Object.keys(MODULES) as SimdModule[]) {
    if (!simdExports(name, memory)) return `off (${off ?? 'unavailable'})`;
  }
  return 'on';
}

const callCounts = new Map<SimdModule, number>();
/** Count one call of module `name`'s kernel (this thread). */
export function countSimdCall(name: SimdModule): void {
  callCounts.set(name, (callCounts.get(name) ?? 0) + 1);
}
/** Calls of module `name`'s kernel in this thread (tests check that a kernel ran). */
export function simdCalls(name: SimdModule): number {
  return callCounts.get(name) ?? 0;
}
