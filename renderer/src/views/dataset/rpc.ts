/**
 * The Dataset view's way to the core: typed calls that can be cancelled (stale grid windows,
 * superseded detail fetches), and error text a person can read.
 */
import type { Input, Output, RequestName } from '$common/contract';
import { core } from '../../lib/core.svelte';

function cancelledError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError', type: 'cancelled' });
}

/**
 * A call that `signal` cancels. Over the bridge the cancellation reaches the core (its handler's signal
 * aborts). The Electron preload's call takes no options (an AbortSignal cannot cross contextBridge), so
 * there the request runs to its end and only its answer is dropped: the caller sees a cancellation at once.
 */
export function call<K extends RequestName>(method: K, params: Input<K>, signal?: AbortSignal): Promise<Output<K>> {
  const conn = core.connection;
  if (!conn) return Promise.reject(new Error('Not connected to the core'));
  if (!signal) return conn.client.call(method, params);
  if (signal.aborted) return Promise.reject(cancelledError());
  if (conn.transport === 'bridge') return conn.client.call(method, params, { signal });
  return new Promise<Output<K>>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    conn.client.call(method, params).then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function errorType(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'type' in e && typeof (e as { type: unknown }).type === 'string'
    ? (e as { type: string }).type
    : null;
}

export function isCancelled(e: unknown): boolean {
  return errorType(e) === 'cancelled' || (e instanceof Error && e.name === 'AbortError');
}

/** "what failed: why", with a hint when the core does not offer the request yet. */
export function describeError(what: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const type = errorType(e);
  if (type === 'unsupported') return `${what}: the core cannot do this (${message})`;
  return `${what}: ${message}`;
}
