/** The header of an IDX file of unsigned bytes (big-endian magic 0x0000080N, then N dimensions). */

/** Largest IDX data glyphlab reads (EMNIST ByClass train, the biggest common file, is 547 MB). */
export const MAX_IDX_BYTES = 1 << 30;

export function parseIdxHeader(buf: Buffer, ndims: number): { dims: number[]; itemSize: number; expected: number } {
  if (buf.length < 4 + 4 * ndims) throw new Error(`too short for an IDX header (${buf.length} bytes)`);
  const magic = buf.readUInt32BE(0);
  const want = 0x0800 + ndims;
  if (magic !== want) {
    throw new Error(
      `wrong magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x${want.toString(16).padStart(8, '0')}, unsigned bytes, ${ndims} dimension${ndims > 1 ? 's' : ''})`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  if (itemSize <= 0 || itemSize > 4096 * 4096) throw new Error(`bad dimensions ${dims.join('x')}`);
  const expected = 4 + 4 * ndims + dims[0]! * itemSize;
  if (expected > MAX_IDX_BYTES) throw new Error(`header claims ${dims.join('x')} (${(expected / 1e9).toFixed(1)} GB): more than glyphlab reads (${MAX_IDX_BYTES / 2 ** 30} GiB)`);
  return { dims, itemSize, expected };
}

