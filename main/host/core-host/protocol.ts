import type { SerializedError } from '../../common/errors';
import type { CoreOptions } from '../../core';
import type { ConnectOptions, OutFrame } from './connection';

/** What the core host's worker is started with (workerData). */
export interface HostWorkerData {
  core: CoreOptions;
}

/** The relay's messages to the core host's worker. */
export type ToHost =
  | { k: 'open'; conn: number; opts: ConnectOptions }
  /** A client frame: an object, or JSON text to parse. `seq` comes back in 'done' once it is handled. */
  | { k: 'frame'; conn: number; seq: number; frame: unknown }
  | { k: 'close'; conn: number }
  | { k: 'shutdown' }
  /** Crash on purpose (tests): an uncaught error in the core thread, once no native call is in flight. */
  | { k: 'crash' };

/** The worker's messages to the relay. */
export type FromHost =
  | { k: 'ready'; dbPath: string; damaged: { dbPath: string; problem: string } | null }
  | { k: 'failed'; error: SerializedError }
  | { k: 'out'; conn: number; frame: OutFrame }
  | { k: 'done'; seq: number }
  | { k: 'closed' };
