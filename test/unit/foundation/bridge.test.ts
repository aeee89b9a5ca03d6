import http from 'node:http';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, tokenMatches, type Bridge } from '../../../main/host/bridge';
import { createClient } from '../../../main/common/rpc/client';
import type { ServerMessage } from '../../../main/common/rpc/protocol';
import { tmpCore } from '../../helpers/tmp';

function tryConnect(url: string, headers: Record<string, string> = {}): Promise<{ ok: true; ws: WebSocket } | { ok: false; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ ok: false, status: res.statusCode ?? null }));
    ws.once('error', () => resolve({ ok: false, status: null }));
  });
}

function nonLoopbackAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

describe('bridge', () => {
  let app: ReturnType<typeof tmpCore>;
  let bridge: Bridge;
  beforeAll(async () => {
    app = tmpCore();
    bridge = await startBridge(app.core, { allowedOrigins: ['http://127.0.0.1:5173'] });
  });
  afterAll(async () => {
    await bridge.close();
    await app.close();
  });

  it('listens on 127.0.0.1 only, with a long random token', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.token.length).toBeGreaterThanOrEqual(40);
    const other = await startBridge(app.core);
    expect(other.token).not.toBe(bridge.token);
    await other.close();
    const ip = nonLoopbackAddress();
    if (ip) {
      const res = await tryConnect(`ws://${ip}:${bridge.port}/rpc?token=${bridge.token}`);
      expect(res.ok).toBe(false);
    }
  });

  it('refuses a missing, wrong or truncated token', async () => {
    for (const q of ['', '?token=', '?token=wrong', `?token=${bridge.token.slice(0, -1)}`, `?token=${bridge.token}x`]) {
      const res = await tryConnect(`ws://127.0.0.1:${bridge.port}/rpc${q}`);
      expect(res, q).toEqual({ ok: false, status: 401 });
    }
  });

  it('refuses a page from another origin even with the token', async () => {
    const res = await tryConnect(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`, { Origin: 'http://evil.example' });
    expect(res).toEqual({ ok: false, status: 401 });
    const dev = await tryConnect(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`, { Origin: 'http://127.0.0.1:5173' });
    expect(dev.ok).toBe(true);
    if (dev.ok) dev.ws.close();
  });

  it('refuses other paths and methods', async () => {
    const res = await tryConnect(`ws://127.0.0.1:${bridge.port}/other?token=${bridge.token}`);
    expect(res).toEqual({ ok: false, status: 401 });
    const status = await new Promise<number>((resolve) => {
      http.request(`${bridge.url}/`, { method: 'POST' }, (r) => resolve(r.statusCode ?? 0)).end();
    });
    expect(status).toBe(405);
  });

  it('serves the handler table and pushes events to a client with the token', async () => {
    const res = await tryConnect(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const ws = res.ws;
    const client = createClient({
      send: (m) => ws.send(JSON.stringify(m)),
      onMessage: (fn) => {
        const l = (d: WebSocket.RawData) => fn(JSON.parse(d.toString()) as ServerMessage);
        ws.on('message', l);
        return () => ws.off('message', l);
      },
    });
    const info = await client.call('app.info', {});
    expect(info.dbPath).toBe(app.core.dbPath);
    await expect(client.call('jobs.get', { id: 'missing' })).rejects.toMatchObject({ type: 'not_found' });
    ws.close();
  });

  it('compares tokens by value', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });
});
