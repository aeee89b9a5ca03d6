import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Core } from '../core';
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS, serveConnection } from './bridge-connection';
import { type CoreHost, inProcessHost } from './core-host/core-host';
import { answer, serveStatic } from './bridge-static';
import { PathPolicy } from './path-policy';
import { parseTarget } from './request-path';

export interface BridgeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Built renderer to serve at / (browser mode); omit to serve only the RPC. */
  staticDir?: string;
  /** Extra page origins allowed to connect (the Vite dev server in development). */
  allowedOrigins?: string[];
  /** Fixed token (tests); default: 32 random bytes, new on every start. */
  token?: string;
  /** WebSocket connections open at once (default 16); more are refused with 503. */
  maxConnections?: number;
  /** Per connection: requests in flight and the heartbeat (see bridge-connection.ts). */
  limits?: Partial<ConnectionLimits>;
  /**
   * Folders the page may read and write files in (path-policy.ts); a request naming a path outside them is
   * refused ('unauthorized'). Omitted: no confinement (tests); `glyphlab serve` always gives a list.
   */
  allowedDirs?: string[];
}

export interface Bridge {
  url: string;
  /** The URL a person opens: the page, with the token in the fragment (never sent in requests). */
  pageUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_CONNECTIONS = 16;

/** A bare HTTP answer on a socket that is not (yet) an HTTP response: refused upgrades, unparsable requests. */
function refuse(socket: Duplex, status: 400 | 401 | 503): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 503: 'Service Unavailable' }[status];
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Compare in constant time; a length mismatch still costs one comparison.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

function isCoreHost(source: Core | CoreHost): source is CoreHost {
  return typeof (source as CoreHost).connect === 'function';
}

/**
 * Serves the core to a browser over a WebSocket on 127.0.0.1 only. A connection must carry the token
 * (new on every start, compared in constant time) and come from an allowed page origin; anything else
 * is refused before any handler runs. The bridge only relays: `glyphlab serve` hands it the core host
 * (core-host/, the core in a worker thread, as the Electron shell does); a core given directly (tests)
 * is served in this thread through the same interface.
 */
export async function startBridge(source: Core | CoreHost, opts: BridgeOptions = {}): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const host = isCoreHost(source) ? source : inProcessHost(source);
  // Checked here, so that a bad folder fails the start; the host confines each connection to them.
  const allowedDirs = opts.allowedDirs ? new PathPolicy(opts.allowedDirs).roots : undefined;
  const server = http.createServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405);
      if (opts.staticDir) serveStatic(opts.staticDir, req, res);
      else answer(res, 404);
    } catch {
      answer(res, 400, 'Bad request'); // no request may end the process
    }
  });
  // Requests Node's parser rejects (bad request line, headers too large...): 400, and the socket is closed.
  server.on('clientError', (_err, socket: Socket) => refuse(socket, 400));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const allowedOrigins = new Set([origin, `http://localhost:${port}`, ...(opts.allowedOrigins ?? [])]);

  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.limits };
  const maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a peer that resets mid-handshake must not crash the process
    try {
      const url = parseTarget(req.url, origin);
      if (!url) return refuse(socket, 400);
      const given = url.searchParams.get('token');
      const pageOrigin = req.headers.origin;
      // Node clients (tests, CLI) send no Origin; browsers always do, and it must be ours.
      const originOk = pageOrigin === undefined || allowedOrigins.has(pageOrigin);
      if (url.pathname !== '/rpc' || !tokenMatches(token, given) || !originOk) return refuse(socket, 401);
      if (wss.clients.size >= maxConnections) return refuse(socket, 503);
      wss.handleUpgrade(req, socket, head, (ws) => serveConnection(host, ws, limits, allowedDirs));
    } catch {
      refuse(socket, 400);
    }
  });

  return {
    url: origin,
    pageUrl: `${origin}/#token=${token}`,
    token,
    port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
