/**
 * Tells whether an encoded image's bytes end before the format's end marker. Decoders report a cut-short file
 * in many ways ("Unknown error", "missing ...", "premature end"); the bytes say it plainly.
 */
export function truncationReason(bytes: Uint8Array): string | null {
  if (isPng(bytes)) return tailHas(bytes, [0x49, 0x45, 0x4e, 0x44], 16) ? null : 'the PNG ends before its IEND chunk (file truncated)';
  if (isJpeg(bytes)) return tailHas(bytes, [0xff, 0xd9], 64) ? null : 'the JPEG ends before its end-of-image marker (file truncated)';
  return null;
}

function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Whether `marker` occurs within the last `window` bytes (encoders may pad after the end marker). */
function tailHas(b: Uint8Array, marker: number[], window: number): boolean {
  const from = Math.max(0, b.length - window - marker.length);
  outer: for (let i = b.length - marker.length; i >= from; i--) {
    for (let j = 0; j < marker.length; j++) if (b[i + j] !== marker[j]) continue outer;
    return true;
  }
  return false;
}
