import type { WebSocket } from 'ws';
import { createConnection, type Handlers } from '../common/rpc/server';
import type { Core } from '../core';

export interface ConnectionLimits {
  /** Requests of one connection running at once; beyond it the socket stops being read (TCP backpressure). */
  maxInFlight: number;
  /** Beyond this many (what one read already held when the socket was paused), requests are refused. */
  maxQueued: number;
  /** A ping this often; a connection that has not answered the last two is dropped (two: a blocked event loop
   * runs the timer before it reads the pong that came in meanwhile). 0: none. */
  heartbeatMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxInFlight: 64, maxQueued: 4096, heartbeatMs: 30_000 };

/**
 * Serves one WebSocket: requests go to the core's handlers, events come back. Requests in flight are
 * bounded (the socket is paused at `maxInFlight` and resumed as answers go out; anything past
 * `maxQueued` gets a 'conflict' reply without running), and a heartbeat drops peers that vanished.
 */
export function serveConnection(
  core: Core,
  ws: WebSocket,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  handlers: Handlers = core.handlers,
): void {
  let inFlight = 0;
  const conn = createConnection(handlers, (msg) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  });
  const unsubscribe = core.onEvent((name, payload) => conn.sendEvent(name, payload));
  const run = async (msg: unknown) => {
    inFlight++;
    if (inFlight >= limits.maxInFlight && !ws.isPaused) ws.pause();
    try {
      await conn.onMessage(msg);
    } finally {
      inFlight--;
      if (inFlight < limits.maxInFlight && ws.isPaused) ws.resume();
    }
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      msg = null;
    }
    if (inFlight >= limits.maxQueued) {
      const id = typeof (msg as { id?: unknown } | null)?.id === 'number' ? (msg as { id: number }).id : -1;
      const message = `Too many requests in flight (limit ${limits.maxQueued}); wait for answers before sending more`;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id, ok: false, error: { type: 'conflict', message } }));
      return;
    }
    void run(msg);
  });
  let unanswered = 0;
  ws.on('pong', () => (unanswered = 0));
  const heartbeat =
    limits.heartbeatMs > 0
      ? setInterval(() => {
          if (unanswered >= 2) {
            ws.terminate();
            return;
          }
          unanswered++;
          ws.ping();
        }, limits.heartbeatMs)
      : null;
  heartbeat?.unref();
  // Protocol errors (a frame over maxPayload, bad masking...): ws closes the socket with the right
  // code; without a listener the 'error' event would crash the process.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    if (heartbeat) clearInterval(heartbeat);
    unsubscribe();
    conn.close();
  });
}
