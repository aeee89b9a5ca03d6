import { type EventName, type EventPayload, type Output, type ParsedInput, type RequestName, isRequestName, requests } from '../contract';
import { GlyphError, serializeError } from '../errors';
import { type ClientMessage, type ServerMessage, clientMessageSchema } from './protocol';

export interface HandlerContext {
  /** Aborted when the caller cancels the request or disconnects. */
  signal: AbortSignal;
}

export type Handler<K extends RequestName> = (input: ParsedInput<K>, ctx: HandlerContext) => Promise<Output<K>> | Output<K>;

/** The core's side of the contract: one handler per request, checked by the compiler. */
export type Handlers = { [K in RequestName]: Handler<K> };

export type EventSink = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

/**
 * Validates and runs one request. Every failure is a GlyphError: unknown method, validation
 * (with zod's issues as details), or whatever the handler threw.
 */
export async function dispatch(handlers: Handlers, method: string, params: unknown, ctx: HandlerContext): Promise<unknown> {
  if (!isRequestName(method)) throw new GlyphError('unknown_method', `Unknown request '${method.slice(0, 100)}'`);
  const def = requests[method];
  const parsed = def.input.safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const first = issues[0];
    throw new GlyphError(
      'validation',
      `Invalid argument for '${method}'${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`,
      { issues },
    );
  }
  const handler = handlers[method] as (input: unknown, ctx: HandlerContext) => unknown;
  return await handler(parsed.data, ctx);
}

/**
 * Serves the handler table over any message transport: one instance per connection. Requests run
 * concurrently; a `cancel` message (or `close()`, on disconnect) aborts their signal.
 */
export function createConnection(handlers: Handlers, send: (msg: ServerMessage) => void) {
  const inFlight = new Map<number, AbortController>();
  let closed = false;

  async function onMessage(raw: unknown): Promise<void> {
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
      send({ t: 'res', id, ok: false, error: { type: 'validation', message: 'Malformed RPC message' } });
      return;
    }
    const msg: ClientMessage = parsed.data;
    if (msg.t === 'cancel') {
      inFlight.get(msg.id)?.abort();
      return;
    }
    const ac = new AbortController();
    inFlight.set(msg.id, ac);
    try {
      const result = await dispatch(handlers, msg.method, msg.params, { signal: ac.signal });
      if (!closed) send({ t: 'res', id: msg.id, ok: true, result });
    } catch (e) {
      if (!closed) send({ t: 'res', id: msg.id, ok: false, error: serializeError(e) });
    } finally {
      inFlight.delete(msg.id);
    }
  }

  return {
    onMessage,
    sendEvent: (name: string, payload: unknown) => {
      if (!closed) send({ t: 'evt', name, payload });
    },
    close() {
      closed = true;
      for (const ac of inFlight.values()) ac.abort();
      inFlight.clear();
    },
  };
}
