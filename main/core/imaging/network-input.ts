import type { GrayImage } from './png';

/** 8-bit gray image → floats in [0, 1] at size×size (bilinear; pixel centres aligned). */
export function toInput(img: GrayImage, size: number): Float32Array {
  const out = new Float32Array(size * size);
  if (img.width === size && img.height === size) {
    for (let i = 0; i < out.length; i++) out[i] = img.px[i]! / 255;
    return out;
  }
  const sx = img.width / size;
  const sy = img.height / size;
  // Downscaling by more than 2x: average the source box so thin strokes survive.
  if (sx >= 2 && sy >= 2) {
    for (let y = 0; y < size; y++) {
      const y0 = Math.floor(y * sy);
      const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
      for (let x = 0; x < size; x++) {
        const x0 = Math.floor(x * sx);
        const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.px[yy * img.width + xx]!;
        out[y * size + x] = sum / ((y1 - y0) * (x1 - x0) * 255);
      }
    }
    return out;
  }
  for (let y = 0; y < size; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      const d = img.px;
      const top = d[y0 * img.width + x0]! * (1 - wx) + d[y0 * img.width + x1]! * wx;
      const bot = d[y1 * img.width + x0]! * (1 - wx) + d[y1 * img.width + x1]! * wx;
      out[y * size + x] = (top * (1 - wy) + bot * wy) / 255;
    }
  }
  return out;
}

/** Floats in [0, 1] → 8-bit gray image. */
export function toGray(pixels: Float32Array, size: number): GrayImage {
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, pixels[i]!)) * 255);
  return { width: size, height: size, px: data };
}
