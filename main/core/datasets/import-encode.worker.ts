/**
 * Import worker thread: hashes and PNG-encodes batches of canonical images while the main thread writes the
 * previous batch to SQLite (see encoder.ts). Built to dist/main/import-encode.worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { ENCODER_PROTOCOL, type EncodeReply, type EncodeRequest } from './encoder-protocol';
import { encodeSamples, packEncoded, unpackPixels } from './encode';

const port = parentPort;
if (!port) throw new Error('import-encode.worker must run in a worker thread');

port.on('message', (m: EncodeRequest) => {
  let reply: EncodeReply;
  try {
    if (m.v !== ENCODER_PROTOCOL) throw new Error(`protocol ${String(m.v)}, this worker speaks ${ENCODER_PROTOCOL}`);
    const packed = packEncoded(encodeSamples(unpackPixels(m.batch)));
    reply = { id: m.id, ok: packed };
    port.postMessage(reply, [packed.pngs, packed.ends.buffer as ArrayBuffer]);
  } catch (e) {
    reply = { id: m.id, error: (e as Error)?.message ?? String(e) };
    port.postMessage(reply);
  }
});
