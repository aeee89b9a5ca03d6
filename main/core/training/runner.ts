import { Worker } from 'node:worker_threads';
import { GlyphError } from '../../common/errors';
import { findBuiltWorker } from '../built-worker';
import type { MainMessage, WorkerInput, WorkerMessage } from './protocol';

const WORKER_FILE = 'train.worker.js';
/** How long a killed thread may take to reach a safe point (a batch in wasm holds it) before it is terminated. */
const KILL_WAIT_MS = 3_000;

/** The built training worker script (see findBuiltWorker); GLYPHLAB_TRAIN_WORKER overrides. */
export function locateWorker(): string {
  if (process.env.GLYPHLAB_TRAIN_WORKER) return process.env.GLYPHLAB_TRAIN_WORKER;
  const found = findBuiltWorker(WORKER_FILE);
  if (!found) {
    throw new GlyphError('unsupported', `The training worker (${WORKER_FILE}) is not built: run 'node scripts/build.mjs main'`);
  }
  return found;
}

export interface WorkerHandle {
  /** Ask for a stop after the current batch (keep: save the best model so far). */
  stop(keep: boolean): void;
  /** End the thread now (as a crash would), at its next turn once no native call is in flight; terminated after KILL_WAIT_MS. */
  kill(): Promise<void>;
  /** Settles when the thread has exited: its exit code. */
  exited: Promise<number>;
}

/** Starts one training thread; every message it posts goes to `onMessage`. */
export function startTrainingWorker(input: WorkerInput, onMessage: (msg: WorkerMessage) => void): WorkerHandle {
  const worker = new Worker(locateWorker(), { workerData: input });
  const exited = new Promise<number>((resolve) => {
    worker.on('exit', (code) => resolve(code));
  });
  worker.on('message', (m: WorkerMessage) => onMessage(m));
  worker.on('error', (e) => onMessage({ type: 'error', errorType: 'internal', message: `training worker crashed: ${e.message}` }));
  return {
    stop: (keep) => worker.postMessage({ type: 'stop', keep } satisfies MainMessage),
    kill: async () => {
      worker.postMessage({ type: 'kill' } satisfies MainMessage);
      await Promise.race([exited, new Promise((r) => setTimeout(r, KILL_WAIT_MS).unref())]);
      await worker.terminate();
    },
    exited,
  };
}
