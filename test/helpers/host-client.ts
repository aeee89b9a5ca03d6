import type { EventName, Input, Output, RequestName } from '../../main/common/contract';
import { createClient } from '../../main/common/rpc/client';
import type { ServerMessage } from '../../main/common/rpc/protocol';
import type { EventListener } from '../../main/core';
import type { CoreHost } from '../../main/host/core-host/core-host';

type Listener = (msg: ServerMessage) => void;

/**
 * A test's own client of a core host, as a window is one (JSON text frames, as both shells relay them):
 * typed calls, and every event the core sends (`onEvent`, the shape test helpers take from a core).
 */
export function hostClient(host: CoreHost) {
  const subs = new Set<Listener>();
  const conn = host.connect(
    (frame) => {
      const msg = (typeof frame === 'string' ? JSON.parse(frame) : frame) as ServerMessage;
      for (const fn of subs) fn(msg);
    },
    { json: true },
  );
  const client = createClient({
    send: (msg) => void conn.onText(JSON.stringify(msg)),
    onMessage: (fn) => {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  });
  return {
    call: <K extends RequestName>(method: K, params: Input<K>, opts?: { signal?: AbortSignal }) => client.call(method, params, opts) as Promise<Output<K>>,
    onEvent(fn: EventListener): () => void {
      const sub: Listener = (msg) => {
        if (msg.t === 'evt') fn(msg.name as EventName, msg.payload);
      };
      subs.add(sub);
      return () => subs.delete(sub);
    },
    close() {
      client.close();
      conn.close();
    },
  };
}
