import type Database from 'better-sqlite3';
import sharp from 'sharp';
import { nativeCall } from '../native-calls';
import { GlyphError } from '../../common/errors';
import { toInput } from '../imaging/network-input';
import { decodeGrayPng } from '../imaging/png';

/**
 * Reads sample images from SQLite a batch at a time, decodes and resizes them to the network input
 * (8-bit, cached up to a memory budget so later epochs skip the decode).
 */
export class ImageSource {
  private readonly stmt: Database.Statement;
  private readonly cache = new Map<number, Uint8Array>();
  private cacheBytes = 0;

  constructor(
    db: Database.Database,
    private readonly size: number,
    private readonly maxCacheBytes = 512 * 1024 * 1024,
  ) {
    this.stmt = db.prepare(`SELECT sample_id AS id, png FROM sample_images WHERE sample_id IN (SELECT value FROM json_each(?))`);
  }

  /** Images of `ids` in order, as floats 0..1 (size×size each). */
  async load(ids: number[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = new Array(ids.length);
    const missing: number[] = [];
    ids.forEach((id, i) => {
      const hit = this.cache.get(id);
      if (hit) out[i] = fromBytes(hit);
      else missing.push(id);
    });
    if (missing.length) {
      const rows = this.stmt.all(JSON.stringify([...new Set(missing)])) as { id: number; png: Buffer }[];
      const byId = new Map<number, Float32Array>();
      for (const r of rows) byId.set(r.id, await this.decode(r.id, r.png));
      ids.forEach((id, i) => {
        if (out[i]) return;
        const img = byId.get(id);
        if (!img) throw new GlyphError('bad_input', `sample ${id}: no image in the database`);
        out[i] = img;
      });
    }
    return out as Float32Array[];
  }

  private async decode(id: number, png: Buffer): Promise<Float32Array> {
    let pixels: Float32Array;
    try {
      pixels = toInput(decodeGrayPng(png), this.size);
    } catch {
      try {
        const { data, info } = await nativeCall(() => sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true }));
        const gray = new Uint8Array(info.width * info.height);
        for (let i = 0; i < gray.length; i++) gray[i] = data[i * info.channels]!;
        pixels = toInput({ width: info.width, height: info.height, px: gray }, this.size);
      } catch (e) {
        throw new GlyphError('bad_input', `sample ${id}: image cannot be decoded (${(e as Error).message})`);
      }
    }
    // Quantized to 8 bits whether cached or not, so every epoch sees the same values.
    const bytes = new Uint8Array(pixels.length);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(pixels[i]! * 255);
    if (this.cacheBytes + bytes.length <= this.maxCacheBytes) {
      this.cache.set(id, bytes);
      this.cacheBytes += bytes.length;
    }
    return fromBytes(bytes);
  }
}

/** 8-bit pixels as floats 0..1 (a plain loop: TypedArray.from with a map function is several times slower). */
function fromBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
  return out;
}
