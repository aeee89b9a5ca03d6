import { describe, expect, it } from 'vitest';
import { createClient } from '../../../main/common/rpc/client';
import type { ClientMessage, ServerMessage } from '../../../main/common/rpc/protocol';
import { createConnection, type Handlers } from '../../../main/common/rpc/server';
import { GlyphError } from '../../../main/common/errors';

/** A client and a server connection joined by an in-memory, asynchronous pipe (JSON round trip). */
function pipe(handlers: Partial<Handlers>) {
  const toClient = new Set<(m: ServerMessage) => void>();
  const conn = createConnection(handlers as Handlers, (msg) => {
    const copy = JSON.parse(JSON.stringify(msg)) as ServerMessage;
    setTimeout(() => toClient.forEach((fn) => fn(copy)), 0);
  });
  const client = createClient({
    send: (msg: ClientMessage) => setTimeout(() => void conn.onMessage(JSON.parse(JSON.stringify(msg))), 0),
    onMessage: (fn) => {
      toClient.add(fn);
      return () => toClient.delete(fn);
    },
  });
  return { client, conn };
}

describe('rpc', () => {
  it('carries a request and its typed result', async () => {
    const { client } = pipe({ 'jobs.cancel': async ({ id }) => ({ cancelled: id === 'x' }) });
    await expect(client.call('jobs.cancel', { id: 'x' })).resolves.toEqual({ cancelled: true });
  });

  it('turns a handler failure into a GlyphError of the same type on the client', async () => {
    const { client } = pipe({
      'jobs.get': async () => {
        throw new GlyphError('not_found', 'No job');
      },
    });
    const err = await client.call('jobs.get', { id: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GlyphError);
    expect(err).toMatchObject({ type: 'not_found', message: 'No job' });
  });

  it('reports non-GlyphError throws as internal, without a stack', async () => {
    const { client } = pipe({
      'jobs.list': async () => {
        throw new TypeError('boom');
      },
    });
    await expect(client.call('jobs.list', {})).rejects.toMatchObject({ type: 'internal', message: 'boom' });
  });

  it('validates on the server side', async () => {
    const { client } = pipe({ 'jobs.get': async () => ({}) as never });
    // @ts-expect-error wrong type on purpose
    await expect(client.call('jobs.get', { id: 7 })).rejects.toMatchObject({ type: 'validation' });
  });

  it('answers a malformed frame with a validation error', async () => {
    const sent: ServerMessage[] = [];
    const conn = createConnection({} as Handlers, (m) => sent.push(m));
    await conn.onMessage({ t: 'req', id: 3, method: 'no.such', params: {} });
    await conn.onMessage({ t: 'bogus', id: 4 });
    await conn.onMessage('not an object');
    expect(sent.map((m) => (m.t === 'res' && !m.ok ? m.error.type : m.t))).toEqual(['unknown_method', 'validation', 'validation']);
  });

  it('aborts the handler when the client cancels', async () => {
    let aborted = false;
    const { client } = pipe({
      'jobs.list': (_input, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve([]);
          });
        }),
    });
    const ac = new AbortController();
    const p = client.call('jobs.list', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await p;
    expect(aborted).toBe(true);
  });

  it('delivers pushed events to subscribers until they unsubscribe', async () => {
    const { client, conn } = pipe({});
    const seen: unknown[] = [];
    const off = client.on('job.progress', (p) => seen.push(p.done));
    conn.sendEvent('job.progress', { id: 'a', kind: 'import', done: 1, total: 2, message: '' });
    await new Promise((r) => setTimeout(r, 10));
    off();
    conn.sendEvent('job.progress', { id: 'a', kind: 'import', done: 2, total: 2, message: '' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([1]);
  });
});
