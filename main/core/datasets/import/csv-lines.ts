import fs from 'node:fs';

/** No CSV row glyphlab reads is longer: 256x256 pixels of "255," is 256 KiB. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface CsvLine {
  /** The line without its end (\n or \r\n), or null when it was longer than the limit (then skipped). */
  text: string | null;
  /** Its length in bytes with its end, for progress estimates. */
  bytes: number;
}

/**
 * A file's lines, read in 64 KiB pieces: a line over `maxBytes` is never held (readline would build it
 * whole, and a single 288 MB row ran V8 out of string length); it comes out as `text: null`.
 */
export async function* boundedLines(file: string, maxBytes = MAX_LINE_BYTES): AsyncGenerator<CsvLine, void, undefined> {
  let parts: Buffer[] = [];
  let held = 0;
  let skipped = 0; // > 0: inside a line over the limit, this many bytes so far
  const finish = (end: number): CsvLine => {
    let buf = Buffer.concat(parts, held);
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    const line = skipped > 0 ? { text: null, bytes: skipped + end } : { text: buf.toString('utf8'), bytes: held + end };
    parts = [];
    held = 0;
    skipped = 0;
    return line;
  };
  const take = (piece: Buffer) => {
    if (skipped > 0) skipped += piece.length;
    else if (held + piece.length > maxBytes) {
      skipped = held + piece.length;
      parts = [];
      held = 0;
    } else if (piece.length > 0) {
      parts.push(piece);
      held += piece.length;
    }
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      take(chunk.subarray(from, nl));
      yield finish(1);
      from = nl + 1;
    }
    // Copied: the stream may reuse its buffer for the next piece.
    if (from < chunk.length) take(Buffer.from(chunk.subarray(from)));
  }
  if (held > 0 || skipped > 0) yield finish(0);
}
