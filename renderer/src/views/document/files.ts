/** Reading dropped or picked files for the core: base64 in browser mode, paths in Electron. */

export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(new Error(`${file.name}: cannot be read (${r.error?.message ?? 'unknown error'})`));
    r.readAsDataURL(file);
  });
}

const IMAGE_RE = /\.(png|jpe?g|webp|tiff?|bmp|gif)$/i;

export function isImageFile(file: File): boolean {
  return file.type.startsWith('image/') || IMAGE_RE.test(file.name);
}

/** Offers a text as a file download. */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
