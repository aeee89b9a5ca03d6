import { parentPort, workerData } from 'node:worker_threads';
import { endsWithExit } from '../ml/wasm-threads';
import { drainNativeCalls } from '../native-calls';
import { runTrainingLoop } from './loop';
import type { MainMessage, WorkerInput, WorkerMessage } from './protocol';

// The training worker thread: opens the database read-only, trains, reports through messages.
if (!parentPort) throw new Error('train.worker must run in a worker thread');
const port = parentPort;
let stop: 'cancel' | 'finish' | null = null;
port.on('message', (m: MainMessage) => {
  if (m.type === 'stop') stop = m.keep ? 'finish' : 'cancel';
  // Ending the thread while onnxruntime or sharp has work in flight would abort the process (see native-calls.ts).
  else if (m.type === 'kill') void drainNativeCalls('hold').then(() => process.exit(1));
});
runTrainingLoop(workerData as WorkerInput, {
  post: (msg: WorkerMessage) => port.postMessage(msg),
  stopRequest: () => stop,
}).finally(() => {
  port.close();
  // The threaded wasm backend's pool keeps the event loop alive; the messages above are already queued.
  if (endsWithExit()) process.exit(0);
});
