/**
 * A decoder for Windows BMP files, which sharp's prebuilt libvips does not read: uncompressed 1/4/8-bit
 * palette, 16-bit (5-5-5), 24-bit and 32-bit, bottom-up or top-down. Returns 8-bit grayscale.
 * RLE-compressed and bitfield layouts other than plain BI_BITFIELDS 32-bit are refused with a reason.
 */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export function isBmp(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d;
}

export function decodeBmp(buf: Buffer, maxPixels: number): GrayImage {
  if (buf.length < 26 || !isBmp(buf)) throw new Error('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  if (headerSize < 12) throw new Error('corrupt BMP header');
  const core = headerSize === 12;
  const width = core ? buf.readUInt16LE(18) : buf.readInt32LE(18);
  const rawHeight = core ? buf.readInt16LE(20) : buf.readInt32LE(22);
  const bpp = core ? buf.readUInt16LE(24) : buf.readUInt16LE(28);
  const compression = core ? 0 : buf.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height <= 0) throw new Error(`corrupt BMP size ${width}x${rawHeight}`);
  if (width * height > maxPixels) throw new Error(`image exceeds the pixel limit (${width}x${height})`);
  if (compression !== 0 && !(compression === 3 && bpp === 32)) {
    throw new Error(`compressed BMP (compression ${compression}) is not supported; save it as PNG`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`BMP with ${bpp} bits per pixel is not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new Error('truncated BMP: the pixel data ends early');

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const entries = core ? 1 << bpp : buf.readUInt32LE(46) || 1 << bpp;
    const entrySize = core ? 3 : 4;
    const start = 14 + headerSize;
    palette = new Uint8Array(256);
    for (let i = 0; i < entries && i < 256; i++) {
      const o = start + i * entrySize;
      if (o + 2 >= buf.length) break;
      palette[i] = luma(buf[o + 2]!, buf[o + 1]!, buf[o]!);
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      let v: number;
      if (bpp === 24 || bpp === 32) {
        const o = row + x * (bpp / 8);
        v = luma(buf[o + 2]!, buf[o + 1]!, buf[o]!);
      } else if (bpp === 16) {
        const p = buf.readUInt16LE(row + x * 2);
        v = luma(((p >> 10) & 31) * 8.2258, ((p >> 5) & 31) * 8.2258, (p & 31) * 8.2258);
      } else {
        const perByte = 8 / bpp;
        const byte = buf[row + Math.floor(x / perByte)]!;
        const shift = 8 - bpp * ((x % perByte) + 1);
        v = palette![(byte >> shift) & ((1 << bpp) - 1)]!;
      }
      out[y * width + x] = v;
    }
  }
  return { data: out, width, height };
}

function luma(r: number, g: number, b: number): number {
  return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
}
