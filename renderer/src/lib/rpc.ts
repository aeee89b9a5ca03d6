/**
 * The renderer's typed calls to the core that can be cancelled (stale grid windows, superseded
 * fetches). Error text for what they throw: ./errors.
 */
import type { Input, Output, RequestName } from '$common/contract';
import { core } from './core.svelte';
import { cancelledError } from './errors';

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
