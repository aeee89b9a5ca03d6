import type { ServerMessage } from '../../common/rpc/protocol';
import { createConnection } from '../../common/rpc/server';
import type { Core } from '../../core';
import { PathPolicy } from '../path-policy';

/** A frame to a client: an object (Electron IPC) or its JSON text (a WebSocket). */
export type OutFrame = ServerMessage | string;

export interface ConnectOptions {
  /** Frames out as JSON text, which the relay passes on without parsing (both shells), instead of objects. */
  json: boolean;
  /** Folders this client may name files in (browser mode, path-policy.ts); omitted: no confinement. */
  allowedDirs?: string[];
}

/** One client of the core: frames in, frames (answers and events) out through the `send` it was opened with. */
export interface HostConnection {
  /** A client frame (an object, or JSON text); settles once it has been handled (answered, or a cancel passed on). */
  onMessage(frame: unknown): Promise<void>;
  /** A client frame as JSON text, parsed where the core runs. */
  onText(text: string): Promise<void>;
  close(): void;
}

/** Parses a client frame's JSON text; anything unparsable becomes null (answered as a malformed message). */
export function parseFrame(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Serves one client on a core in this thread: requests to its handlers (confined to `allowedDirs`
 * when given), answers and every core event back. What the core host's worker runs per client.
 */
export function serveCore(core: Core, send: (frame: OutFrame) => void, opts: ConnectOptions): HostConnection {
  const handlers = opts.allowedDirs ? confined(core, opts.allowedDirs) : core.handlers;
  const conn = createConnection(handlers, (msg) => send(opts.json ? JSON.stringify(msg) : msg));
  const off = core.onEvent((name, payload) => conn.sendEvent(name, payload));
  return {
    onMessage: (frame) => conn.onMessage(typeof frame === 'string' ? parseFrame(frame) : frame),
    onText: (text) => conn.onMessage(parseFrame(text)),
    close() {
      off();
      conn.close();
    },
  };
}

function confined(core: Core, dirs: string[]) {
  let policy: PathPolicy;
  try {
    policy = new PathPolicy(dirs);
  } catch {
    policy = new PathPolicy([]); // an allowed folder that vanished since the server started: nothing is allowed
  }
  return policy.confine(core.handlers);
}
