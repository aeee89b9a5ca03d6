import { toInput } from '../imaging/network-input';

/**
 * A canonical tile (8-bit gray, white ink on black, as stored in the dataset) → model input at
 * `size`, exactly as training feeds it: `toInput` (resize, /255) then quantized to 8 bits like the
 * training image cache, so evaluation sees the very values training saw.
 */
export function tileToInput(tile: { px: Uint8Array; width: number; height: number }, size: number, out?: Float32Array): Float32Array {
  const f = toInput(tile, size);
  const dst = out ?? new Float32Array(size * size);
  for (let i = 0; i < f.length; i++) dst[i] = Math.round(f[i]! * 255) / 255;
  return dst;
}
