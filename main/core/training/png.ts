import zlib from 'node:zlib';

/** A decoded 8-bit grayscale image, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Small synchronous PNG decoder for the dataset's canonical images (8-bit gray, also gray+alpha,
 * RGB(A) and palette at 8 bits, and 1/2/4-bit gray or palette), returning gray. Much faster than
 * an async sharp call per 28x28 image. Interlaced or 16-bit PNGs throw (callers fall back to sharp).
 */
export function decodePngGray(buf: Uint8Array): GrayImage {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 33 || !b.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (pos + 8 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const body = b.subarray(pos + 8, pos + 8 + len);
    if (body.length !== len) throw new Error('PNG cut short');
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8]!;
      colorType = body[9]!;
      interlace = body[12]!;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height) throw new Error('PNG without IHDR');
  if (interlace) throw new Error('interlaced PNG not supported');
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`PNG colour type ${colorType} not supported`);
  if (depth === 16 || (depth < 8 && channels !== 1)) throw new Error(`PNG bit depth ${depth} not supported`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const bitsPerPixel = depth * channels;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length < height * (stride + 1)) throw new Error('PNG data cut short');
  const rows = new Uint8Array(height * stride);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[x - bpp]! : 0;
      const up = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      const v = line[x]!;
      switch (filter) {
        case 0: out[x] = v; break;
        case 1: out[x] = v + a; break;
        case 2: out[x] = v + up; break;
        case 3: out[x] = v + ((a + up) >> 1); break;
        case 4: out[x] = v + paeth(a, up, c); break;
        default: throw new Error(`bad PNG filter ${filter}`);
      }
    }
    prev = out;
  }
  const gray = new Uint8Array(width * height);
  const maxv = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < width; x++) {
      let v: number;
      if (depth < 8) {
        const bit = x * depth;
        const idx = (row[bit >> 3]! >> (8 - depth - (bit & 7))) & maxv;
        v = colorType === 3 ? paletteGray(palette, idx) : Math.round((idx * 255) / maxv);
      } else if (colorType === 0 || colorType === 4) v = row[x * channels]!;
      else if (colorType === 3) v = paletteGray(palette, row[x]!);
      else {
        const i = x * channels;
        v = Math.round(0.299 * row[i]! + 0.587 * row[i + 1]! + 0.114 * row[i + 2]!);
      }
      gray[y * width + x] = v;
    }
  }
  return { width, height, data: gray };
}

function paletteGray(palette: Buffer | null, idx: number): number {
  if (!palette || idx * 3 + 2 >= palette.length) throw new Error('PNG palette index out of range');
  return Math.round(0.299 * palette[idx * 3]! + 0.587 * palette[idx * 3 + 1]! + 0.114 * palette[idx * 3 + 2]!);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Buffer[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), body]), 0);
  return Buffer.concat([head, body, crc]);
}

/** Encodes an 8-bit grayscale image as PNG (filter 0, zlib). */
export function encodePngGray(img: GrayImage): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc(img.height * (img.width + 1));
  for (let y = 0; y < img.height; y++) {
    raw.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
