/**
 * A small zip writer and reader for model archives: the writer stores files (no compression: weights do not
 * shrink), the reader takes stored and deflated entries as other tools write them. Reading is bounded: the
 * number of entries, each entry's size and the total are checked against the central directory before
 * anything is inflated, every entry's CRC-32 and size are checked after, and names are plain file names
 * (one leading folder at most, dropped; no "..", no absolute paths, no backslashes).
 */
import zlib from 'node:zlib';
import { GlyphError } from '../../common/errors';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8_FLAG = 0x0800;

/** DOS date and time of a moment (zip's own format, local time). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** A zip archive of the entries, stored (method 0), names in UTF-8. */
export function writeZip(entries: ZipEntry[], when = new Date()): Buffer {
  const { time, date } = dosTime(when);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt16LE(UTF8_FLAG, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dirSize = centrals.reduce((n, b) => n + b.length, 0);
  if (offset + dirSize > 0xffffffff || entries.length > 0xffff) throw new GlyphError('bad_input', 'archive too large for a zip without zip64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

function bad(file: string, reason: string): GlyphError {
  return new GlyphError('bad_input', `${file}: ${reason}`);
}

/** The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment is at most 64 KiB). */
function findEnd(buf: Buffer, file: string): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END) return i;
  }
  throw bad(file, 'not a zip archive (no end of central directory)');
}

/** A plain file name from an entry name: one leading folder dropped; null for a folder entry. */
function plainName(raw: string, file: string): string | null {
  if (raw.endsWith('/')) return null;
  if (raw.includes('\\') || raw.includes('\0') || raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw bad(file, `entry name not allowed: ${JSON.stringify(raw.slice(0, 80))}`);
  const parts = raw.split('/');
  if (parts.length > 2 || parts.some((p) => p === '' || p === '.' || p === '..')) throw bad(file, `entry name not allowed: ${JSON.stringify(raw.slice(0, 80))}`);
  return parts[parts.length - 1]!;
}

/** The entries of a zip archive, within the limits; `file` names the archive in errors. */
export function readZip(buf: Buffer, file: string, limits: ZipLimits): ZipEntry[] {
  if (buf.length < 22) throw bad(file, 'not a zip archive (too short)');
  const end = findEnd(buf, file);
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw bad(file, 'zip64 archives are not supported');
  if (count > limits.maxEntries) throw bad(file, `${count} entries (at most ${limits.maxEntries})`);
  if (dirOffset + dirSize > end) throw bad(file, 'central directory outside the archive');
  const planned: { name: string; method: number; crc: number; size: number; csize: number; local: number }[] = [];
  let total = 0;
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CENTRAL) throw bad(file, 'damaged central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > end) throw bad(file, 'damaged central directory');
    const raw = buf.toString(flags & UTF8_FLAG ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    const name = plainName(raw, file);
    if (name === null) continue;
    if (flags & 1) throw bad(file, `${name}: encrypted entries are not supported`);
    if (method !== 0 && method !== 8) throw bad(file, `${name}: compression method ${method} is not supported (stored or deflate)`);
    if (size > limits.maxEntryBytes) throw bad(file, `${name}: ${size} bytes (at most ${limits.maxEntryBytes})`);
    total += size;
    if (total > limits.maxTotalBytes) throw bad(file, `more than ${limits.maxTotalBytes} bytes once unpacked`);
    if (planned.some((e) => e.name === name)) throw bad(file, `${name} appears twice`);
    planned.push({ name, method, crc, size, csize, local });
  }
  return planned.map((e) => {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL) throw bad(file, `${e.name}: damaged local header`);
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    if (start + e.csize > buf.length) throw bad(file, `${e.name}: truncated`);
    const packed = buf.subarray(start, start + e.csize);
    let data: Buffer;
    if (e.method === 0) data = packed;
    else {
      try {
        data = zlib.inflateRawSync(packed, { maxOutputLength: Math.max(1, e.size) });
      } catch (err) {
        throw bad(file, `${e.name}: cannot inflate (${(err as Error).message})`);
      }
    }
    if (data.length !== e.size) throw bad(file, `${e.name}: ${data.length} bytes where the directory says ${e.size}`);
    if ((zlib.crc32(data) >>> 0) !== e.crc) throw bad(file, `${e.name}: CRC-32 mismatch (damaged archive)`);
    return { name: e.name, data: Buffer.from(data) };
  });
}
