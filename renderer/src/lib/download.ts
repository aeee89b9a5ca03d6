/** Bytes from base64 (as the core sends files). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Offers a blob as a file download (browser mode and Electron alike: Electron asks where to save it). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers base64 bytes as a file download. */
export function downloadBase64(name: string, base64: string, type = 'application/octet-stream'): void {
  downloadBlob(name, new Blob([base64ToBytes(base64)], { type }));
}
