import { afterEach } from 'vitest';
import type { EventName } from '../../../main/common/contract';
import { tmpCore } from '../../helpers/tmp';
import { makeToyDb } from './fixtures';

type Env = ReturnType<typeof tmpCore>;
const open: Env[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

export interface SeenEvent {
  name: EventName;
  // Event payloads are checked field by field in the tests.
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A core (wasm backend) whose database holds the toy shapes, plus every event it pushes. */
export function toyCore(opts: Parameters<typeof makeToyDb>[1] = {}) {
  const env = tmpCore({ backend: 'wasm' });
  open.push(env);
  makeToyDb(env.core.dbPath, opts);
  const events: SeenEvent[] = [];
  env.core.onEvent((name, payload) => events.push({ name, payload }));
  const waitFor = (pred: (e: SeenEvent) => boolean, timeoutMs = 150_000) =>
    new Promise<SeenEvent>((resolve, reject) => {
      const t0 = Date.now();
      const check = () => {
        const hit = events.find(pred);
        if (hit) resolve(hit);
        else if (Date.now() - t0 > timeoutMs) reject(new Error('timed out waiting for an event'));
        else setTimeout(check, 10);
      };
      check();
    });
  const finished = async (jobId: string) => (await waitFor((e) => e.name === 'job.finished' && e.payload.id === jobId)).payload;
  const epochs = (jobId: string) =>
    events.filter((e) => e.name === 'training.progress' && e.payload.phase === 'epoch' && e.payload.jobId === jobId).map((e) => e.payload);
  return { ...env, events, waitFor, finished, epochs };
}

/** A small network and settings that learn the toy set in a few seconds. */
export const SMALL_MODEL = { filters: [8, 16], dense: [32], dropout: 0 };
export function quickConfig(over: Record<string, unknown> = {}) {
  return {
    epochs: 4,
    batchSize: 16,
    inputSize: 16,
    learningRate: 0.005,
    patience: 0,
    augment: { enabled: false },
    model: SMALL_MODEL,
    ...over,
  };
}
