import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../main/host/bridge';
import { tmpCore } from '../helpers/tmp';
import { collect } from './support/ws-client';

function connect(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, maxPayload: 256 * 1024 * 1024 });
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws: null, status: res.statusCode ?? null }));
    ws.once('error', () => resolve({ ws: null, status: null }));
  });
}

describe('bridge under abuse', () => {
  let app: ReturnType<typeof tmpCore>;
  let bridge: Bridge;
  let rpc: string;
  beforeAll(async () => {
    app = tmpCore();
    bridge = await startBridge(app.core);
    rpc = `ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`;
  });
  afterAll(async () => {
    await bridge.close();
    await app.close();
  });

  it('refuses opaque and look-alike origins with the right token', async () => {
    for (const origin of ['null', `http://127.0.0.1:${bridge.port}.evil.example`, `http://127.0.0.1:${bridge.port + 1}`, `https://127.0.0.1:${bridge.port}`, 'file://']) {
      expect((await connect(rpc, { Origin: origin })).status, origin).toBe(401);
    }
  });

  it('answers a flood of 3000 pipelined requests and malformed frames, each with a typed reply', async () => {
    const { ws } = await connect(rpc);
    expect(ws).not.toBeNull();
    const n = 3000;
    const replies = collect(ws!, n + 3);
    for (let i = 0; i < n; i++) ws!.send(JSON.stringify({ t: 'req', id: i, method: i % 2 ? 'jobs.list' : 'backup.status', params: {} }));
    ws!.send('{not json');
    ws!.send(JSON.stringify({ t: 'req', id: n + 1, method: 'nope.nothing', params: {} }));
    ws!.send(JSON.stringify({ t: 'req', id: n + 2, method: 'app.info', params: JSON.parse('{"__proto__": {"x": 1}}') }));
    ws!.send(Buffer.from([1, 2, 3]), { binary: true }); // ignored
    const got = await replies;
    expect(got.filter((r) => r.ok).length).toBe(n);
    expect(got.find((r) => r.id === -1)?.error?.type).toBe('validation');
    expect(got.find((r) => r.id === n + 1)?.error?.type).toBe('unknown_method');
    expect(got.find((r) => r.id === n + 2)?.error?.type).toBe('validation');
    ws!.close();
  });

  it('closes a connection that announces a frame over the 64 MiB limit, and keeps serving others', async () => {
    // A raw client: the handshake, then only the header of a 65 MiB text frame (the length is enough).
    const sock = net.connect(bridge.port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => (buf = Buffer.concat([buf, d])));
    const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
    sock.write(
      `GET /rpc?token=${bridge.token} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await until(() => buf.includes('\r\n\r\n'));
    expect(buf.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
    const headerEnd = buf.indexOf('\r\n\r\n') + 4;
    const frame = Buffer.alloc(14);
    frame[0] = 0x81; // FIN, text
    frame[1] = 0x80 | 127; // masked, 64-bit length
    frame.writeBigUInt64BE(BigInt(65 * 1024 * 1024), 2);
    randomBytes(4).copy(frame, 10);
    sock.write(frame);
    await closed;
    const close = buf.subarray(headerEnd);
    expect(close[0]).toBe(0x88); // a close frame...
    expect(close.readUInt16BE(2)).toBe(1009); // ...saying: message too big
    const other = await connect(rpc);
    const reply = collect(other.ws!, 1);
    other.ws!.send(JSON.stringify({ t: 'req', id: 7, method: 'backup.status', params: {} }));
    expect((await reply)[0]).toMatchObject({ id: 7, ok: true });
    other.ws!.close();
  });

  it('survives 200 connection attempts with wrong tokens and clients that vanish mid-request', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 200 }, (_, i) => connect(`ws://127.0.0.1:${bridge.port}/rpc?token=${'x'.repeat(i % 60)}`)),
    );
    expect(attempts.every((a) => a.status === 401)).toBe(true);
    for (let i = 0; i < 20; i++) {
      const { ws } = await connect(rpc);
      for (let j = 0; j < 50; j++) ws!.send(JSON.stringify({ t: 'req', id: j, method: 'backup.list', params: {} }));
      ws!.terminate();
    }
    const { ws } = await connect(rpc);
    const reply = collect(ws!, 1);
    ws!.send(JSON.stringify({ t: 'req', id: 1, method: 'jobs.list', params: {} }));
    expect((await reply)[0]).toMatchObject({ ok: true });
    ws!.close();
  });
});

async function until(cond: () => boolean, ms = 5000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
