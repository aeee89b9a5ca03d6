import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as wt from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/**
 * The multi-threaded SIMD build of tfjs-backend-wasm, in Node.
 *
 * tfjs turns threads off under Node (tfjs issue #3830): its Emscripten glue starts pthread workers
 * from `blob:` URLs and hands them the main script as a Blob, and node:worker_threads takes neither.
 * The glue itself supports Node (its worker script sets itself up with worker_threads and reads
 * scripts with fs). So, only while the backend initialises, string-built Blobs are recorded and the
 * `blob:` URLs made from them remembered; a Worker class pinned on globalThis (where the glue looks
 * for it) swaps such a URL or Blob for a file holding the same text (content-hashed, in a cache dir).
 * XNNPACK's thread pool then runs convolutions and matrix products on `threads` threads.
 *
 * Depends on how tfjs-backend-wasm 4.x builds its glue: `enableWasmThreads` checks after initialising
 * that the pool really has the threads, and the caller falls back to the single-threaded build when
 * anything fails (see backends.ts). The pool's workers keep a thread's event loop alive: a thread that
 * used them ends with process.exit (see `endsWithExit`).
 */

const blobText = new WeakMap<object, string>();
const urlText = new Map<string, string>();
/** The bundle's hoisted CommonJS aliases that the factory's source refers to once cut out of it. */
const FACTORY_PRELUDE =
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), " +
  "require$$4 = require('os'), commonjsGlobal = globalThis;\n";

let cacheDir: string | null = null;
let scriptsDir: string | null = null;
/** Where the generated worker scripts go (default: a folder of this user's under the system temp folder). */
export function setWasmThreadsCacheDir(dir: string): void {
  cacheDir = dir;
  scriptsDir = null;
}

/**
 * The scripts' folder, one only this user can write (the scripts run in the app): the chosen one if
 * it is such, else a fresh private one. Throws when it cannot be made.
 */
function privateScriptsDir(): string {
  if (scriptsDir) return scriptsDir;
  const uid = process.getuid?.();
  const want = cacheDir ?? path.join(os.tmpdir(), `glyphlab-wasm-threads-${uid ?? 'user'}`);
  fs.mkdirSync(want, { recursive: true, mode: 0o700 });
  const st = fs.statSync(want);
  const safe = st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  scriptsDir = safe ? want : fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-wasm-threads-'));
  return scriptsDir;
}

/** A file holding `text` (written again if it holds anything else). */
function scriptFile(text: string): string {
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = path.join(privateScriptsDir(), `tfjs-wasm-${hash}.js`);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current !== text) {
    const tmp = `${file}.tmp-${process.pid}-${wt.threadId}`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  return file;
}

/** While the backend starts: a pool worker's error rejects the start instead of throwing in this thread. */
let startFailure: ((e: unknown) => void) | null = null;

class ScriptFileWorker extends wt.Worker {
  private handler: ((e: unknown) => void) | null = null;

  constructor(file: string | URL, opts?: wt.WorkerOptions) {
    const text = typeof file === 'string' ? urlText.get(file) : undefined;
    super(text === undefined ? file : scriptFile(text), opts);
  }

  // The glue routes a worker's 'error' event to onerror, which rethrows it.
  set onerror(fn: ((e: unknown) => void) | null) {
    this.handler = fn;
  }
  get onerror(): (e: unknown) => void {
    return (e) => {
      if (startFailure) startFailure(e);
      else this.handler?.(e);
    };
  }

  override postMessage(msg: unknown, transfer?: readonly wt.TransferListItem[]): void {
    const m = msg as { cmd?: string; urlOrBlob?: unknown } | null;
    if (m && m.cmd === 'load' && m.urlOrBlob != null && typeof m.urlOrBlob === 'object') {
      const text = blobText.get(m.urlOrBlob);
      if (text !== undefined) msg = { ...m, urlOrBlob: scriptFile(FACTORY_PRELUDE + text) };
    }
    super.postMessage(msg, transfer);
  }
}

/** How long the threaded build may take to start (it loads the module into 8 pool workers). */
const START_TIMEOUT_MS = 30_000;

let threadsUsed = 0;
let wasmModuleRef: { setThreadsCount(n: number): void } | null = null;
/** Threads of the wasm backend's pool in this thread (0: the threaded build is not in use). */
export function wasmThreadsInUse(): number {
  return threadsUsed;
}

/** True when this thread runs pthread workers that keep its event loop alive. */
export function endsWithExit(): boolean {
  return threadsUsed > 1;
}

/**
 * Initialise tfjs's wasm backend as the threaded build with `threads` threads. Resolves to the
 * pool's size; throws when the threaded build cannot start here (the caller then uses the
 * single-threaded build). Must run before the wasm backend was first initialised in this thread.
 */
export async function enableWasmThreads(threads: number, wasmModuleName = '@tensorflow/tfjs-backend-wasm'): Promise<number> {
  // The same module instance as the backend's registration (a second copy would keep its own count).
  const wasmModule = (await import(/* @vite-ignore */ wasmModuleName)) as {
    setThreadsCount(n: number): void;
    getThreadsCount(): number;
  };
  wasmModuleRef = wasmModule;
  const OrigBlob = globalThis.Blob;
  const origCreate = URL.createObjectURL.bind(URL);
  class RecordingBlob extends OrigBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0];
      if (parts && Array.isArray(parts) && parts.every((p) => typeof p === 'string')) blobText.set(this, parts.join(''));
    }
  }
  // The glue reads require('os').cpus(): the same object as this default import.
  const realCpus = os.cpus;
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (b: Blob) => {
    const url = origCreate(b);
    const text = blobText.get(b);
    if (text !== undefined) urlText.set(url, text);
    return url;
  };
  // The glue assigns globalThis.Worker = worker_threads.Worker; keep ours.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => ScriptFileWorker,
    set: () => {},
  });
  // XNNPACK sizes its pool from the logical core count halved (it assumes hyper-threading).
  os.cpus = () => {
    const c = realCpus();
    while (c.length < 2 * threads && c.length > 0) c.push(c[0]!);
    return c;
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmModule.setThreadsCount(threads);
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    startFailure = (e) => reject(new Error(`a wasm thread failed to start: ${e instanceof Error ? e.message : String(e)}`));
    timer = setTimeout(() => reject(new Error(`the threaded wasm build did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    if (!(await Promise.race([tf.setBackend('wasm'), failed]))) throw new Error('the threaded wasm build failed to initialise');
    await tf.ready();
    const n = wasmModule.getThreadsCount();
    threadsUsed = n;
    releaseIdleWorkers();
    return n;
  } finally {
    clearTimeout(timer);
    startFailure = null;
    globalThis.Blob = OrigBlob;
    URL.createObjectURL = origCreate;
    os.cpus = realCpus;
  }
}

/** The glue's pthread bookkeeping (Module.PThread), as far as this file uses it. */
interface PThreadPool {
  unusedWorkers?: Array<{ terminate(): unknown }>;
  runningWorkers?: unknown[];
}

/** The pthread pool of the running wasm backend, if it has one. */
export function wasmPThreads(): PThreadPool | null {
  const pt = (tf.backend() as unknown as { wasm?: { PThread?: PThreadPool } }).wasm?.PThread;
  return pt && typeof pt === 'object' ? pt : null;
}

/**
 * The glue starts 8 pool workers up front (each with its own copy of the module, ~15 MB); XNNPACK's
 * pool has taken what it needs once the backend is up. The idle ones are ended (the glue starts a new
 * one if a thread is ever asked for later).
 */
function releaseIdleWorkers(): void {
  const idle = wasmPThreads()?.unusedWorkers;
  if (!Array.isArray(idle)) return;
  for (const w of idle.splice(0)) void w.terminate();
}

/** After a failed `enableWasmThreads`: the next initialisation of the wasm backend is single-threaded. */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasmModuleRef?.setThreadsCount(1);
  threadsUsed = 0;
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  if (desc?.get) delete (globalThis as { Worker?: unknown }).Worker;
}
