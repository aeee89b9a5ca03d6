/**
 * Errors that cross the RPC boundary. Every failure a client sees has a `type` it can switch on,
 * a human message (naming the file and the reason where there is one) and optional details.
 */
export const ERROR_TYPES = [
  'validation', // the request's argument did not match its schema
  'unknown_method', // no such request in the contract
  'not_found', // a sample, model, job, file... that does not exist
  'bad_input', // a file or value the core cannot use (corrupt image, IDX cut short, ...)
  'conflict', // the request cannot run in the current state (a job already running, ...)
  'cancelled', // the caller cancelled
  'unsupported', // valid, but not possible here (missing backend, newer database, ...)
  'unauthorized', // transport-level: wrong token or origin
  'internal', // a bug: anything not thrown as a GlyphError
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

export interface SerializedError {
  type: ErrorType;
  message: string;
  details?: unknown;
}

export class GlyphError extends Error {
  readonly type: ErrorType;
  readonly details: unknown;

  constructor(type: ErrorType, message: string, details?: unknown) {
    super(message);
    this.name = 'GlyphError';
    this.type = type;
    this.details = details;
  }

  toJSON(): SerializedError {
    return this.details === undefined
      ? { type: this.type, message: this.message }
      : { type: this.type, message: this.message, details: this.details };
  }

  static from(serialized: SerializedError): GlyphError {
    return new GlyphError(serialized.type, serialized.message, serialized.details);
  }
}

export function isGlyphError(e: unknown): e is GlyphError {
  return e instanceof GlyphError;
}

/** Turns anything thrown into the wire form; unknown throwables become `internal`. */
export function serializeError(e: unknown): SerializedError {
  if (isGlyphError(e)) return e.toJSON();
  if (e instanceof Error && e.name === 'AbortError') return { type: 'cancelled', message: 'Cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  return { type: 'internal', message };
}
