import { isMainThread } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { detectBackend } from '../backends';

let ready: Promise<string> | null = null;

/**
 * Makes sure TensorFlow.js runs on a usable backend before inference. A backend already chosen is
 * kept (the training worker sets its own, and switching under it would move its tensors), except
 * the pure-JS cpu backend in the main thread, which is ~30x slower than wasm and usually only there
 * because some tf call initialised the default: then the best that loads (native, wasm) is used.
 */
export function ensureTfjsBackend(): Promise<string> {
  ready ??= (async () => {
    const current = tf.engine().backendName as string | null | undefined;
    if (current && (current !== 'cpu' || !isMainThread)) return current;
    const info = await detectBackend('auto');
    const name = info.name === 'node' ? 'tensorflow' : info.name;
    if (name !== current && !(await tf.setBackend(name))) await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}
