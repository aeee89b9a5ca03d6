import { z } from 'zod';
import type { SerializedError } from '../errors';

/** The wire messages of the RPC, whatever carries them (Electron IPC, WebSocket, in-process). */
export type ClientMessage =
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'cancel'; id: number };

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: SerializedError }
  | { t: 'evt'; name: string; payload: unknown };

/** Checked on the server side: a client is never trusted to send well-formed frames. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('req'),
    id: z.number().int().nonnegative(),
    method: z.string().max(200),
    params: z.unknown(),
  }),
  z.strictObject({ t: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);

/** Something that carries messages both ways. */
export interface ClientTransport {
  send(msg: ClientMessage): void;
  /** Returns an unsubscribe function. */
  onMessage(fn: (msg: ServerMessage) => void): () => void;
}

/** The Electron IPC channel the preload and main/app.ts relay on. */
export const IPC_CHANNEL = 'glyphlab:rpc';
