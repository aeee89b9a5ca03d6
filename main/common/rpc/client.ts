import type { EventName, EventPayload, Input, Output, RequestName } from '../contract';
import { GlyphError } from '../errors';
import type { ClientTransport, ServerMessage } from './protocol';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface GlyphClient {
  call<K extends RequestName>(method: K, params: Input<K>, opts?: CallOptions): Promise<Output<K>>;
  on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void;
  close(): void;
}

/** The typed client every UI and test uses, over any transport. */
export function createClient(transport: ClientTransport): GlyphClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const unsubscribe = transport.onMessage((msg: ServerMessage) => {
    if (msg.t === 'evt') {
      for (const fn of listeners.get(msg.name) ?? []) fn(msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(GlyphError.from(msg.error));
  });

  return {
    call(method, params, opts) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (opts?.signal?.aborted) {
          reject(new GlyphError('cancelled', 'Cancelled'));
          return;
        }
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        opts?.signal?.addEventListener('abort', () => transport.send({ t: 'cancel', id }), { once: true });
        transport.send({ t: 'req', id, method, params });
      });
    },
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as (payload: unknown) => void);
      return () => set.delete(fn as (payload: unknown) => void);
    },
    close() {
      unsubscribe();
      for (const p of pending.values()) p.reject(new GlyphError('cancelled', 'Connection closed'));
      pending.clear();
    },
  };
}
