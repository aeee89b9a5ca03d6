/**
 * The page sizes of a TIFF, from its directory chain alone (no pixel is decoded): what the page loader
 * checks a document's pixel budget against before decoding any page. Reads through `read(offset, length)`
 * so that a file is read in small pieces, never whole. Stops at `maxPages` and at a chain that loops.
 */
export type ReadAt = (offset: number, length: number) => Buffer;

export interface TiffPageSizes {
  /** Width and height of each page, in chain order (at most maxPages). */
  pages: { width: number; height: number }[];
  /** True when the chain went on past maxPages (or looped back). */
  more: boolean;
}

const SHORT = 3;
const LONG = 4;

/** Null when the bytes are not a classic TIFF (BigTIFF and other formats: the caller uses sharp's metadata). */
export function tiffPageSizes(read: ReadAt, size: number, maxPages: number): TiffPageSizes | null {
  if (size < 8) return null;
  const head = read(0, 8);
  const order = head.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  if (u16(head, 2) !== 42) return null;
  const pages: { width: number; height: number }[] = [];
  const seen = new Set<number>();
  let at = u32(head, 4);
  while (at !== 0) {
    if (pages.length >= maxPages || seen.has(at)) return { pages, more: true };
    if (at + 2 > size) break; // a chain pointing past the end: the decoder will say what is wrong
    seen.add(at);
    const count = u16(read(at, 2), 0);
    if (at + 2 + count * 12 + 4 > size) break;
    const ifd = read(at + 2, count * 12 + 4);
    let width = 0;
    let height = 0;
    for (let i = 0; i < count; i++) {
      const e = i * 12;
      const tag = u16(ifd, e);
      if (tag !== 256 && tag !== 257) continue;
      const type = u16(ifd, e + 2);
      const value = type === SHORT ? u16(ifd, e + 8) : type === LONG ? u32(ifd, e + 8) : 0;
      if (tag === 256) width = value;
      else height = value;
    }
    pages.push({ width, height });
    at = u32(ifd, count * 12);
  }
  return { pages, more: false };
}
