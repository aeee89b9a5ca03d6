import { workerData } from 'node:worker_threads';
import { controlViews, runJob, STATE } from './helper/jobs';

/**
 * The kernel helper thread (built to dist/main/kernel-helper.worker.js): runs one part of a training
 * kernel's JS loop on the shared wasm heap while the training thread runs the other part. It sleeps
 * in Atomics.wait between jobs and never needs its event loop.
 */
const { memory, control } = workerData as { memory: { readonly buffer: ArrayBufferLike }; control: SharedArrayBuffer };
const { ctl, params, scratch } = controlViews(control);

for (;;) {
  Atomics.wait(ctl, 0, STATE.idle);
  const s = Atomics.load(ctl, 0);
  if (s === STATE.stop) break;
  if (s !== STATE.posted) {
    Atomics.wait(ctl, 0, s);
    continue;
  }
  if (Atomics.compareExchange(ctl, 0, STATE.posted, STATE.taken) !== STATE.posted) continue;
  let end: number = STATE.done;
  try {
    runJob(memory, params, scratch);
  } catch {
    end = STATE.failed;
  }
  Atomics.store(ctl, 0, end);
  Atomics.notify(ctl, 0);
}
