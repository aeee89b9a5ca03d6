import type { ServerMessage } from '../../common/rpc/protocol';
import type { OutFrame } from './connection';

/**
 * A client frame's request id, read without parsing the frame on the relay's thread: from an object, or
 * from the head of JSON text (`{"t":"req","id":N,...`, as the contract's client writes it). Null for
 * cancels and frames it cannot read (those get no answer if the core stops).
 */
export function requestId(frame: unknown): number | null {
  if (typeof frame === 'string') {
    const m = /^\s*\{\s*"t"\s*:\s*"req"\s*,\s*"id"\s*:\s*(\d{1,15})\s*,/.exec(frame.slice(0, 80));
    return m ? Number(m[1]) : null;
  }
  if (typeof frame !== 'object' || frame === null) return null;
  const f = frame as { t?: unknown; id?: unknown };
  return f.t === 'req' && typeof f.id === 'number' ? f.id : null;
}

/** The answer to a request the core can no longer run. */
export function stoppedAnswer(id: number, message: string, json: boolean): OutFrame {
  const msg: ServerMessage = { t: 'res', id, ok: false, error: { type: 'internal', message, details: { coreStopped: true } } };
  return json ? JSON.stringify(msg) : msg;
}
