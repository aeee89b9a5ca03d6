import { parentPort } from 'node:worker_threads';
import { Replica } from './replica';
import type { FromReplica, ToReplica } from './protocol';

/** Worker-thread entry of one data-parallel replica (built with esbuild by the bench and its test). */
const port = parentPort;
if (!port) throw new Error('replica.worker must run in a worker thread');
let replica: Replica | null = null;
const send = (m: FromReplica, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const buffers = (as: Float32Array[]) => as.map((a) => a.buffer as ArrayBuffer);

port.on('message', (m: ToReplica) => {
  void (async () => {
    try {
      if (m.type === 'init') {
        replica = await Replica.create(m.init);
        send({ type: 'ready', backend: replica.backend });
        return;
      }
      if (!replica) throw new Error('replica not initialised');
      switch (m.type) {
        case 'step': {
          if (m.apply) replica.applyGrads(m.apply);
          const r = replica.computeGrads(m.shard);
          send({ type: 'grads', ...r }, buffers(r.grads));
          break;
        }
        case 'apply':
          replica.applyGrads(m.apply);
          send({ type: 'done' });
          break;
        case 'getWeights': {
          const weights = replica.getWeights();
          send({ type: 'weights', weights }, buffers(weights));
          break;
        }
        case 'setWeights':
          replica.setWeights(m.weights);
          send({ type: 'done' });
          break;
        case 'setLearningRate':
          replica.setLearningRate(m.learningRate);
          send({ type: 'done' });
          break;
      }
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  })();
});
