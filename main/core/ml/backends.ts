import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName } from '../../common/contract';
import { GlyphError } from '../../common/errors';
import { registerTrainingKernels } from './kernels';
import { nativeKernelStatus } from './kernels/addon';
import { disableWasmThreads, enableWasmThreads, wasmThreadsInUse } from './wasm-threads';

export type BackendPreference = 'auto' | BackendName;

/** tfjs's own name for each of our backends. */
export const TFJS_BACKEND_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

interface Probe {
  name: BackendName;
  /** Resolves when the backend can be used here; throws with the reason otherwise. */
  load(): Promise<void>;
}

/** Module specifiers, overridable in tests (to simulate a backend that is not installed). */
export const backendModules: Record<'node' | 'wasm', string> = {
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

const probes: Probe[] = [
  {
    name: 'node',
    async load() {
      // Native TensorFlow: an optional dependency whose install downloads libtensorflow.
      await import(/* @vite-ignore */ backendModules.node);
    },
  },
  {
    name: 'wasm',
    async load() {
      await import(/* @vite-ignore */ backendModules.wasm);
    },
  },
  { name: 'cpu', async load() {} },
];

function shortReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const firstLine = msg.split('\n')[0] ?? msg;
  if (/Cannot find (module|package)|Failed to load url|ERR_MODULE_NOT_FOUND/.test(firstLine)) return 'not installed';
  return firstLine.slice(0, 160);
}

async function inferenceRuntime(): Promise<BackendInfo['inference']> {
  try {
    await import('onnxruntime-node');
    return 'onnxruntime';
  } catch {
    return 'tfjs';
  }
}

function reasonFor(preference: BackendPreference, name: BackendName, skipped: string[]): string {
  if (preference !== 'auto') return `asked for ${name}`;
  return skipped.length ? `best available (${skipped.join('; ')})` : 'best available';
}

/**
 * Which tfjs backend training will use: the best one that loads (native TensorFlow, then wasm, then
 * the pure-JS cpu backend), or the one asked for. The reason says why better ones were passed over.
 * Loads modules only; does not change tfjs's current backend.
 */
export async function detectBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const skipped: string[] = [];
  const candidates = preference === 'auto' ? probes : probes.filter((p) => p.name === preference);
  for (const probe of candidates) {
    try {
      await probe.load();
      return { name: probe.name, reason: reasonFor(preference, probe.name, skipped), inference: await inferenceRuntime() };
    } catch (e) {
      skipped.push(`${probe.name}: ${shortReason(e)}`);
    }
  }
  throw new GlyphError('unsupported', `ML backend '${preference}' cannot load here: ${skipped.join('; ')}`);
}

export interface TrainingBackendInfo extends BackendInfo {
  /** Set when training will be very slow (the pure-JS cpu backend): the CLI/UI shows it. */
  warning: string | null;
  /** The project kernels installed on this backend (empty for node/cpu-without-kernels). */
  kernels: string[];
  /** Threads the backend computes on (wasm: XNNPACK's pool; 1 for cpu; node: its own pool, reported as 1). */
  threads: number;
}

/**
 * Start tfjs's wasm backend with `wanted` threads: the threaded SIMD build when more than one is
 * wanted (see wasm-threads.ts), else, or when that build fails here, the single-threaded one.
 * A backend already started in this thread is kept as it is.
 */
async function startWasm(wanted: number): Promise<{ threads: number; note: string }> {
  if (tf.findBackend('wasm') != null) {
    const n = Math.max(1, wasmThreadsInUse());
    return { threads: n, note: `; ${n} thread${n > 1 ? 's' : ''}` };
  }
  if (wanted > 1) {
    try {
      const n = await enableWasmThreads(wanted, backendModules.wasm);
      return { threads: n, note: `; ${n} threads` };
    } catch (e) {
      disableWasmThreads();
      return { threads: 1, note: `; 1 thread (the threaded build failed: ${shortReason(e)})` };
    }
  }
  return { threads: 1, note: '; 1 thread' };
}

export const CPU_TRAINING_WARNING =
  'Training runs on the pure-JavaScript cpu backend: expect about 10 samples/s, 30-50x slower than wasm.';

export interface InitBackendOptions {
  /** Install the project's training kernels (default true). */
  kernels?: boolean;
  /**
   * Threads of the wasm backend (default: GLYPHLAB_WASM_THREADS, else the machine's cores, at most 4).
   * Above 1, the threaded build is tried first and the single-threaded one used if it fails.
   */
  wasmThreads?: number;
}

/** The wasm thread count asked for: the option, GLYPHLAB_WASM_THREADS, else the cores (1-4). */
export function wantedWasmThreads(opt?: number): number {
  const env = Number(process.env.GLYPHLAB_WASM_THREADS);
  const n = opt ?? (Number.isInteger(env) && env > 0 ? env : os.availableParallelism());
  return Math.max(1, Math.min(4, Math.floor(n)));
}

/**
 * Pick and activate the tfjs backend for training/inference in this thread: native TensorFlow
 * (@tensorflow/tfjs-node, optional), then wasm (SIMD) with the project's training kernels, then the
 * pure-JS cpu backend (with a warning: never a silent fallback). A forced preference that cannot
 * load throws GlyphError('unsupported') naming the reason. Call once per thread before building a model.
 */
export async function initBackend(
  preference: BackendPreference = 'auto',
  opts: InitBackendOptions = {},
): Promise<TrainingBackendInfo> {
  const skipped: string[] = [];
  const candidates = preference === 'auto' ? probes : probes.filter((p) => p.name === preference);
  for (const probe of candidates) {
    try {
      await probe.load();
      const tfName = TFJS_BACKEND_NAME[probe.name];
      let kernels: string[] = [];
      if (opts.kernels !== false && probe.name !== 'node') kernels = registerTrainingKernels(tfName);
      let threads = 1;
      let threadNote = '';
      if (probe.name === 'wasm') {
        const t = await startWasm(wantedWasmThreads(opts.wasmThreads));
        threads = t.threads;
        threadNote = t.note;
      }
      // findBackend: the backend really started (after a failed threaded start tfjs may name 'wasm' with none running).
      if (tf.findBackend(tfName) == null || tf.getBackend() !== tfName || tf.engine().backendName !== tfName) {
        if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') failed to initialise`);
      }
      await tf.ready();
      // Whether the project's kernels run natively (kernels/addon.ts) or on their JS tiers, and why.
      if (probe.name === 'wasm' && kernels.length > 0) threadNote += `; native kernels ${nativeKernelStatus()}`;
      const wasmFallback = preference === 'auto' && probe.name === 'cpu';
      return {
        name: probe.name,
        reason: `${reasonFor(preference, probe.name, skipped)}${threadNote}`,
        inference: await inferenceRuntime(),
        threads,
        warning: probe.name === 'cpu' ? `${CPU_TRAINING_WARNING}${wasmFallback ? ` (${skipped.join('; ')})` : ''}` : null,
        kernels,
      };
    } catch (e) {
      skipped.push(`${probe.name}: ${shortReason(e)}`);
    }
  }
  throw new GlyphError('unsupported', `ML backend '${preference}' cannot be used here: ${skipped.join('; ')}`);
}
