/** Error text a person can read, the core's error type when there is one, and cancellations. Plain TS (tested in Node). */

/** The core's error type ('bad_input', 'not_found', 'cancelled'...) carried by an RPC error, or null. */
export function errorType(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'type' in e && typeof (e as { type: unknown }).type === 'string'
    ? (e as { type: string }).type
    : null;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The error a cancelled call rejects with (as the bridge's cancellation does). */
export function cancelledError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError', type: 'cancelled' });
}

export function isCancelled(e: unknown): boolean {
  return errorType(e) === 'cancelled' || (e instanceof Error && e.name === 'AbortError');
}

/** "what failed: why", with a hint when the core does not offer the request. */
export function describeError(what: string, e: unknown): string {
  const message = errorMessage(e);
  if (errorType(e) === 'unsupported') return `${what}: the core cannot do this (${message})`;
  return `${what}: ${message}`;
}
