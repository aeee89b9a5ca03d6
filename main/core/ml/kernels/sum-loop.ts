/** acc[c] += sum over the rows of x viewed as [rows, channels] (in float64). */
export function sumRowsInto(x: Float32Array, channels: number, acc: Float64Array): void {
  const rows = x.length / channels;
  for (let r = 0, off = 0; r < rows; r++, off += channels) {
    for (let ch = 0; ch < channels; ch++) acc[ch] = acc[ch]! + x[off + ch]!;
  }
}
