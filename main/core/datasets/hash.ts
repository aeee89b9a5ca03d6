import { createHash } from 'node:crypto';
import type { Split } from '../../common/contract/dataset';

/** Content hash of a canonical image: sha256 over width, height (u16 BE each) and the pixels. Hex. */
export function sampleHash(px: Uint8Array, width: number, height: number): string {
  const h = createHash('sha256');
  const dims = Buffer.alloc(4);
  dims.writeUInt16BE(width, 0);
  dims.writeUInt16BE(height, 2);
  h.update(dims);
  h.update(px);
  return h.digest('hex');
}

/**
 * Deterministic split from the content hash: 80% train, 10% validation, 10% test. A sample keeps its split
 * however the dataset grows, and the same image lands in the same split in every database.
 */
export function splitFromHash(hash: string): Split {
  const bucket = parseInt(hash.slice(0, 8), 16) % 10;
  return bucket < 8 ? 'train' : bucket === 8 ? 'validation' : 'test';
}
