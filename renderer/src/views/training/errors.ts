/** Error text a person can read, and the core's error type when there is one. */
export function errorType(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'type' in e && typeof (e as { type: unknown }).type === 'string'
    ? (e as { type: string }).type
    : null;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "what failed: why". */
export function describe(what: string, e: unknown): string {
  return `${what}: ${errorMessage(e)}`;
}
