/** Reading dropped or picked files for the core: base64 in browser mode, paths in Electron. */
import type { Input } from '$common/contract';
import type { DocSource } from './doc-state.svelte';
import { downloadBlob } from '../../lib/download';

type ReadInput = Input<'ocr.start'>;

/** The ocr.start request for documents: their paths (Electron), or their bytes (browser mode). */
export async function readRequest(sources: DocSource[], settings: ReadInput['settings']): Promise<ReadInput> {
  const paths = sources.flatMap((s) => ('path' in s ? [s.path] : []));
  if (paths.length === sources.length) return { paths, settings };
  const files = await Promise.all(sources.map(async (s) => ('file' in s ? { name: s.file.name, data: await readBase64(s.file) } : null)));
  if (files.some((f) => f === null)) throw new Error('Cannot read files from disk and uploads in one request');
  return { files: files as { name: string; data: string }[], settings };
}

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
  downloadBlob(name, new Blob([content], { type }));
}
