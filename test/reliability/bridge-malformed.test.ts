import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../main/host/bridge';
import { tmpCore, tmpDir } from '../helpers/tmp';
import { MALFORMED_REQUESTS, fill, rawRequest } from './support/raw-http';
import { collect } from './support/ws-client';

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('bridge: malformed requests and limits', () => {
  let app: ReturnType<typeof tmpCore>;
  let site: ReturnType<typeof tmpDir>;
  let bridge: Bridge;
  beforeAll(async () => {
    app = tmpCore();
    site = tmpDir('glyphlab-site-');
    fs.writeFileSync(path.join(site.dir, 'index.html'), '<!doctype html><title>t</title>');
    bridge = await startBridge(app.core, { staticDir: site.dir, maxConnections: 3, limits: { maxInFlight: 2, maxQueued: 4, heartbeatMs: 100 } });
  });
  afterAll(async () => {
    await bridge.close();
    await app.close();
    site.cleanup();
  });

  it('answers 400 to every request it cannot parse, and keeps serving', async () => {
    for (const req of MALFORMED_REQUESTS) {
      const status = await rawRequest(bridge.port, fill(req, bridge.port, bridge.token));
      expect(status, JSON.stringify(req.slice(0, 60))).toBe(400);
      expect(await rawRequest(bridge.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(200);
    }
  });

  it('refuses connections over the limit with 503', async () => {
    const rpc = `ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`;
    const open3 = await Promise.all([open(rpc), open(rpc), open(rpc)]);
    await expect(open(rpc)).rejects.toThrow(/503/);
    await Promise.all(open3.map((ws) => new Promise((r) => (ws.once('close', r), ws.close()))));
    await new Promise((r) => setTimeout(r, 50)); // the server's side of the close
  });

  it('refuses requests past the in-flight limit with a typed error, and answers every request', async () => {
    const ws = await open(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`);
    const n = 50;
    const got = collect(ws, n);
    // One frame-burst: they all arrive in one read, before any answer goes out.
    for (let i = 0; i < n; i++) ws.send(JSON.stringify({ t: 'req', id: i, method: 'backup.status', params: {} }));
    const all = await got;
    const refused = all.filter((r) => !r.ok);
    expect(all.filter((r) => r.ok).length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.error?.type === 'conflict' && /in flight/.test(r.error.message))).toBe(true);
    ws.close();
  });

  it('drops a connection that does not answer the heartbeat', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`, { autoPong: false });
    await new Promise((r) => ws.once('open', r));
    const t0 = Date.now();
    const code = await new Promise<number>((r) => {
      ws.once('close', (c) => r(c));
      setTimeout(() => r(-1), 3000);
    });
    expect(code).toBe(1006); // terminated, not closed politely
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
