import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createConnection } from '../common/rpc/server';
import type { Core } from '../core';
import { CONTENT_SECURITY_POLICY } from '../common/csp';

export interface BridgeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Built renderer to serve at / (browser mode); omit to serve only the RPC. */
  staticDir?: string;
  /** Extra page origins allowed to connect (the Vite dev server in development). */
  allowedOrigins?: string[];
  /** Fixed token (tests); default: 32 random bytes, new on every start. */
  token?: string;
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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

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

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let rel = decodeURIComponent(url.pathname);
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, `.${rel}`);
  if (!file.startsWith(path.resolve(root) + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(data);
  });
}

/**
 * Serves the core's handler table to a browser over a WebSocket on 127.0.0.1 only. A connection
 * must carry the token (new on every start, compared in constant time) and come from an allowed
 * page origin; anything else is refused before any handler runs.
 */
export async function startBridge(core: Core, opts: BridgeOptions = {}): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (opts.staticDir) serveStatic(opts.staticDir, req, res);
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const allowedOrigins = new Set([origin, `http://localhost:${port}`, ...(opts.allowedOrigins ?? [])]);

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const given = url.searchParams.get('token');
    const pageOrigin = req.headers.origin;
    // Node clients (tests, CLI) send no Origin; browsers always do, and it must be ours.
    const originOk = pageOrigin === undefined || allowedOrigins.has(pageOrigin);
    if (url.pathname !== '/rpc' || !tokenMatches(token, given) || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(core, ws));
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

function serveConnection(core: Core, ws: WebSocket): void {
  const conn = createConnection(core.handlers, (msg) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  });
  const unsubscribe = core.onEvent((name, payload) => conn.sendEvent(name, payload));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      msg = null;
    }
    void conn.onMessage(msg);
  });
  // Protocol errors (a frame over maxPayload, bad masking...): ws closes the socket with the right
  // code; without a listener the 'error' event would crash the process.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    unsubscribe();
    conn.close();
  });
}
