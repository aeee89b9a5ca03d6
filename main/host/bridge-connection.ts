import type { WebSocket } from 'ws';
import type { CoreHost } from './core-host/core-host';
import { requestId } from './core-host/stopped';

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
 * Serves one WebSocket: its text frames go to the core host as they are (parsed where the core runs),
 * answers and events come back as JSON text. Requests in flight are bounded (the socket is paused at
 * `maxInFlight` and resumed as answers go out; anything past `maxQueued` gets a 'conflict' reply without
 * running), and a heartbeat drops peers that vanished.
 */
export function serveConnection(
  host: CoreHost,
  ws: WebSocket,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  allowedDirs?: string[],
): void {
  let inFlight = 0;
  const conn = host.connect(
    (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    { json: true, ...(allowedDirs ? { allowedDirs } : {}) },
  );
  const run = async (text: string) => {
    inFlight++;
    if (inFlight >= limits.maxInFlight && !ws.isPaused) ws.pause();
    try {
      await conn.onText(text);
    } finally {
      inFlight--;
      if (inFlight < limits.maxInFlight && ws.isPaused) ws.resume();
    }
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (inFlight >= limits.maxQueued) {
      const id = requestId(text) ?? -1;
      const message = `Too many requests in flight (limit ${limits.maxQueued}); wait for answers before sending more`;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id, ok: false, error: { type: 'conflict', message } }));
      return;
    }
    void run(text);
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
    conn.close();
  });
}
