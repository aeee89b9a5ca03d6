import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parseIdxHeader } from './idx-header';

/**
 * An IDX file read as a stream (gzipped or not): the header first, then whole items chunk by chunk, so
 * unpacking (zlib, on the thread pool) overlaps with storing, and memory stays at a few MB whatever the
 * file's size (EMNIST ByClass train unpacks to 547 MB).
 *
 * Guards, as the whole-file reader had them: the header is checked from the first bytes; the data is never
 * unpacked beyond what the header announces (a gzip bomb stops there, and a chunk going past it is refused
 * before any of it is used: a small file with trailing junk imports nothing); a file cut short yields its
 * complete items and says how many there were.
 */
const CHUNK = 1 << 20;

export interface IdxStream {
  dims: number[];
  itemSize: number;
  /** Chunks of whole items, in order. Throws IdxStreamError when the data goes wrong after the header. */
  chunks(): AsyncGenerator<Buffer>;
  /** Items seen whole so far (after `chunks` ends: all of them). */
  readonly complete: number;
  close(): void;
}

export class IdxStreamError extends Error {}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

export async function openIdxStream(file: string, ndims: number): Promise<IdxStream> {
  const gz = isGzip(file);
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK });
  let source: Readable = raw;
  if (gz) {
    // Sync flush: a cut-short gzip still yields what it holds; the item count says what was missing.
    const gunzip = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: CHUNK });
    raw.on('error', (e) => gunzip.destroy(e));
    source = raw.pipe(gunzip);
  }
  const close = () => {
    raw.destroy();
    source.destroy();
  };
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const next = async (): Promise<Buffer | null> => {
    try {
      const r = await it.next();
      return r.done ? null : r.value;
    } catch (e) {
      throw new IdxStreamError(gz ? `not a valid gzip file (${(e as Error).message})` : (e as Error).message);
    }
  };
  const headerSize = 4 + 4 * ndims;
  let head = Buffer.alloc(0);
  let header: ReturnType<typeof parseIdxHeader>;
  try {
    while (head.length < headerSize) {
      const c = await next();
      if (!c) break;
      head = Buffer.concat([head, c]);
    }
    header = parseIdxHeader(head, ndims);
  } catch (e) {
    close();
    throw e;
  }
  const { dims, itemSize, expected } = header;
  let complete = 0;
  let received = head.length;
  const first = head.subarray(headerSize);
  const tooMuch = () =>
    new IdxStreamError(`unpacks to more than the ${expected} bytes its header announces${complete ? ` (the first ${complete} items were read)` : ''}`);
  async function* chunks(): AsyncGenerator<Buffer> {
    let carry: Buffer = first;
    try {
      if (received > expected) throw tooMuch();
      for (;;) {
        const whole = Math.floor(carry.length / itemSize) * itemSize;
        if (whole > 0) {
          const out = carry.subarray(0, whole);
          carry = carry.subarray(whole);
          complete += whole / itemSize;
          yield out;
        }
        let c: Buffer | null;
        try {
          c = await next();
        } catch (e) {
          throw new IdxStreamError(`${(e as Error).message} after ${complete} complete items`);
        }
        if (!c) return;
        received += c.length;
        // A chunk that goes past what the header announces is refused before any of it is used.
        if (received > expected) throw tooMuch();
        if (carry.length === 0) carry = c;
        else if (carry.length + c.length < itemSize) carry = Buffer.concat([carry, c]);
        else {
          // Complete the item the last chunk left open (a small copy), then go on in this chunk without copying it.
          const need = itemSize - carry.length;
          const item = Buffer.concat([carry, c.subarray(0, need)]);
          carry = c.subarray(need);
          complete++;
          yield item;
        }
      }
    } finally {
      close();
    }
  }
  return {
    dims,
    itemSize,
    chunks,
    get complete() {
      return complete;
    },
    close,
  };
}
