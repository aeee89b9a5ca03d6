/**
 * The core host: the core runs in a worker thread and the thread that serves the window (Electron's
 * main process, the loopback bridge) only relays frames, so a long OCR, evaluation or import, or the
 * parse of a large message, never freezes it. Clients speak the same RPC frames as before; each
 * connection's answers and the core's events come back through the `send` it was opened with.
 */
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { GlyphError } from '../../common/errors';
import { findBuiltWorker } from '../../core/built-worker';
import type { Core, CoreOptions } from '../../core';
import { type ConnectOptions, type HostConnection, type OutFrame, serveCore } from './connection';
import type { FromHost, HostWorkerData, ToHost } from './protocol';
import { requestId, stoppedAnswer } from './stopped';

export type { ConnectOptions, HostConnection, OutFrame } from './connection';

export interface CoreHost {
  readonly dbPath: string;
  /** Set when the database is damaged and the core runs in recovery mode. */
  readonly damaged: { dbPath: string; problem: string } | null;
  /** A new client: its answers and the core's events go to `send`. */
  connect(send: (frame: OutFrame) => void, opts: ConnectOptions): HostConnection;
  /** Closes the core (its jobs are cancelled) and ends the thread. */
  close(): Promise<void>;
}

const WORKER_FILE = 'core-host.worker.js';
const CLOSE_TIMEOUT_MS = 10_000;

/** The built core-host worker script (see findBuiltWorker); GLYPHLAB_CORE_HOST_WORKER overrides. */
export function locateCoreHostWorker(): string {
  if (process.env.GLYPHLAB_CORE_HOST_WORKER) return process.env.GLYPHLAB_CORE_HOST_WORKER;
  const found = findBuiltWorker(WORKER_FILE);
  if (!found) throw new GlyphError('unsupported', `The core host (${WORKER_FILE}) is not built: run 'node scripts/build.mjs main'`);
  return found;
}

/** The same interface over a core in this thread (tests that hand the bridge a core of their own). */
export function inProcessHost(core: Core): CoreHost {
  return { dbPath: core.dbPath, damaged: null, connect: (send, opts) => serveCore(core, send, opts), close: () => core.close() };
}

export interface WorkerCoreHost extends CoreHost {
  /** Ends the thread with an uncaught error, as a crash would (tests); resolves once it has ended. */
  kill(): Promise<void>;
}

interface Pending {
  resolve: () => void;
  /** The request's id when the frame is a request (answered with the error if the thread dies). */
  id: number | null;
  conn: Conn;
}

interface Conn {
  send: (frame: OutFrame) => void;
  json: boolean;
  open: boolean;
}

/**
 * Starts the core in a worker thread on `core` (opened as the app opens it: recovery mode when the
 * database is damaged). Rejects with the core's own error when it cannot open (a newer schema...).
 * If the thread dies, every request in flight and every later one is answered with an error that says so.
 */
export function startCoreHost(core: CoreOptions): Promise<WorkerCoreHost> {
  // The process's environment is the core's, as when it ran on this thread (settings such as GLYPHLAB_DEFAULT_MODEL).
  const worker = new Worker(locateCoreHostWorker(), { workerData: { core } satisfies HostWorkerData, env: SHARE_ENV });
  const post = (m: ToHost) => worker.postMessage(m);
  const conns = new Map<number, Conn>();
  const pending = new Map<number, Pending>();
  let nextConn = 1;
  let nextSeq = 1;
  let stopped: string | null = null;
  let closing = false;
  let lastError: Error | null = null;
  let onClosed: (() => void) | null = null;

  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('error', (e) => (lastError = e));

  return new Promise<WorkerCoreHost>((resolve, reject) => {
    let info: Extract<FromHost, { k: 'ready' }> | null = null;
    worker.on('message', (m: FromHost) => {
      switch (m.k) {
        case 'ready':
          info = m;
          resolve(host(m));
          break;
        case 'failed':
          reject(GlyphError.from(m.error));
          void worker.terminate();
          break;
        case 'out': {
          const c = conns.get(m.conn);
          if (c?.open) c.send(m.frame);
          break;
        }
        case 'done': {
          const p = pending.get(m.seq);
          pending.delete(m.seq);
          p?.resolve();
          break;
        }
        case 'closed':
          onClosed?.();
          break;
      }
    });
    void exited.then((code) => {
      if (!info) {
        reject(new GlyphError('internal', `The glyphlab core could not start (${lastError?.message ?? `its thread exited with code ${code}`})`));
        return;
      }
      if (closing) return;
      stopped =
        `The glyphlab core stopped unexpectedly (${lastError?.message ?? `its thread exited with code ${code}`}); ` +
        `restart glyphlab to go on (the database ${info.dbPath} is kept).`;
      for (const p of pending.values()) {
        if (p.id !== null && p.conn.open) p.conn.send(stoppedAnswer(p.id, stopped, p.conn.json));
        p.resolve();
      }
      pending.clear();
    });
  });

  function host(ready: Extract<FromHost, { k: 'ready' }>): WorkerCoreHost {
    return {
      dbPath: ready.dbPath,
      damaged: ready.damaged,
      connect(send, opts) {
        const id = nextConn++;
        const conn: Conn = { send, json: opts.json, open: true };
        conns.set(id, conn);
        if (!stopped) post({ k: 'open', conn: id, opts });
        const relay = (frame: unknown): Promise<void> => {
          const reqId = requestId(frame);
          if (stopped !== null || !conn.open) {
            if (stopped !== null && reqId !== null && conn.open) send(stoppedAnswer(reqId, stopped, conn.json));
            return Promise.resolve();
          }
          const seq = nextSeq++;
          return new Promise<void>((done) => {
            pending.set(seq, { resolve: done, id: reqId, conn });
            post({ k: 'frame', conn: id, seq, frame });
          });
        };
        return {
          onMessage: relay,
          onText: relay,
          close() {
            if (!conn.open) return;
            conn.open = false;
            conns.delete(id);
            if (!stopped) post({ k: 'close', conn: id });
          },
        };
      },
      async close() {
        if (closing) return;
        closing = true;
        if (stopped === null) {
          const closed = new Promise<void>((r) => (onClosed = r));
          post({ k: 'shutdown' });
          const timeout = new Promise<void>((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref());
          await Promise.race([closed, timeout]);
        }
        await worker.terminate();
        await exited;
      },
      async kill() {
        if (stopped === null) post({ k: 'crash' });
        const timeout = new Promise<void>((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref());
        await Promise.race([exited, timeout]);
        await worker.terminate();
      },
    };
  }
}
