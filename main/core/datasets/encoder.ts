import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { findBuiltWorker } from '../built-worker';
import { type Encoded, encodeSamples, packPixels, type Pixels, unpackEncoded } from './encode';
import { ENCODER_PROTOCOL, type EncodeReply, type EncodeRequest } from './encoder-protocol';

const WORKER_FILE = 'import-encode.worker.js';

/** Hashes and PNGs for batches of samples, off the main thread when the worker is available. */
export interface TileEncoder {
  readonly kind: 'worker' | 'inline';
  encode(items: readonly Pixels[]): Promise<Encoded>;
  close(): Promise<void>;
}

/** The built encoder worker script (see findBuiltWorker), GLYPHLAB_IMPORT_WORKER overriding; null when not built. */
export function locateEncoderWorker(): string | null {
  const env = process.env.GLYPHLAB_IMPORT_WORKER;
  if (env === '0' || env === 'off') return null;
  if (env) return fs.existsSync(env) ? env : null;
  return findBuiltWorker(WORKER_FILE);
}

export const inlineEncoder: TileEncoder = {
  kind: 'inline',
  encode: async (items) => encodeSamples(items),
  close: async () => undefined,
};

/**
 * One worker thread, requests answered in order. If the worker fails (not built, stale, crashed), every
 * batch not yet answered and all later ones are encoded inline: an import never fails for want of it.
 */
class WorkerEncoder implements TileEncoder {
  readonly kind = 'worker' as const;
  private nextId = 1;
  private readonly waiting = new Map<number, { items: readonly Pixels[]; resolve: (e: Encoded) => void }>();
  private broken = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: EncodeReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if ('ok' in m) w.resolve(unpackEncoded(m.ok));
      else this.fail(w);
    });
    worker.on('error', () => this.breakAll());
    worker.on('exit', () => this.breakAll());
  }

  encode(items: readonly Pixels[]): Promise<Encoded> {
    if (this.broken) return inlineEncoder.encode(items);
    return new Promise<Encoded>((resolve) => {
      const id = this.nextId++;
      const batch = packPixels(items);
      this.waiting.set(id, { items, resolve });
      const msg: EncodeRequest = { v: ENCODER_PROTOCOL, id, batch };
      this.worker.postMessage(msg, [batch.data]);
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    this.breakAll();
    await this.worker.terminate();
  }

  private fail(w: { items: readonly Pixels[]; resolve: (e: Encoded) => void }): void {
    this.broken = true;
    w.resolve(encodeSamples(w.items));
  }

  private breakAll(): void {
    this.broken = true;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.resolve(encodeSamples(w.items));
    }
  }
}

/** The worker encoder when its script is built, else the inline one. */
export function startEncoder(mode: 'auto' | 'inline' | 'worker' = 'auto'): TileEncoder {
  if (mode === 'inline') return inlineEncoder;
  const file = locateEncoderWorker();
  if (!file) {
    if (mode === 'worker') throw new Error(`the import worker (${WORKER_FILE}) is not built: run 'node scripts/build.mjs main'`);
    return inlineEncoder;
  }
  try {
    return new WorkerEncoder(new Worker(file));
  } catch (e) {
    if (mode === 'worker') throw e;
    return inlineEncoder;
  }
}
