import type { PackedEncoded, PackedPixels } from './encode';

/** Bumped whenever the messages below change: a stale built worker then answers with an error (→ inline). */
export const ENCODER_PROTOCOL = 1;

export interface EncodeRequest {
  v: number;
  id: number;
  batch: PackedPixels;
}

export type EncodeReply = { id: number; ok: PackedEncoded } | { id: number; error: string };
