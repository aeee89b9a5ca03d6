import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GlyphError } from '../../common/errors';
import type { MainMessage, WorkerInput, WorkerMessage } from './protocol';

const WORKER_FILE = 'train.worker.js';

/**
 * The built worker script: next to the bundle (dist/main/train.worker.js, also from its chunks/),
 * or, when the core runs from TypeScript sources (tests), under the project's dist/main/.
 */
export function locateWorker(): string {
  if (process.env.GLYPHLAB_TRAIN_WORKER) return process.env.GLYPHLAB_TRAIN_WORKER;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, WORKER_FILE), path.join(here, '..', WORKER_FILE)];
  for (let dir = here; ; ) {
    candidates.push(path.join(dir, 'dist', 'main', WORKER_FILE));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new GlyphError('unsupported', `The training worker (${WORKER_FILE}) is not built: run 'node scripts/build.mjs main'`);
  }
  return found;
}

export interface WorkerHandle {
  /** Ask for a stop after the current batch (keep: save the best model so far). */
  stop(keep: boolean): void;
  /** End the thread at once (as a crash would). */
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
      await worker.terminate();
    },
    exited,
  };
}
