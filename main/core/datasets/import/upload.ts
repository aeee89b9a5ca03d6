import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GlyphError } from '../../../common/errors';

/**
 * Browser mode: files arrive base64-encoded, named "img.png" or "A/img.png" (class folder). They are staged
 * under `<dataDir>/tmp/upload-<uuid>/` so the regular import path reads them, then removed.
 */
export interface Staged {
  dir: string;
  /** Paths to import: the staging folder (class folders inside) and loose files. */
  paths: string[];
  display(file: string): string;
  cleanup(): void;
}

function safeParts(name: string): string[] | null {
  const parts = name.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p === '..' || p.includes('\0') || p.length > 255)) return null;
  return parts;
}

export function stageUpload(dataDir: string, files: { name: string; data: string }[]): Staged {
  const dir = path.join(dataDir, 'tmp', `upload-${randomUUID()}`);
  fs.mkdirSync(dir, { recursive: true });
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const loose: string[] = [];
    let folders = false;
    const used = new Set<string>();
    for (const f of files) {
      const parts = safeParts(f.name);
      if (!parts) throw new GlyphError('validation', `${f.name.slice(0, 200)}: not a usable file name (expected "file" or "class/file")`);
      const rel = parts.join('/');
      if (used.has(rel)) throw new GlyphError('validation', `${rel}: sent twice`);
      used.add(rel);
      const target = path.join(dir, ...parts);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, Buffer.from(f.data, 'base64'));
      if (parts.length === 2) folders = true;
      else loose.push(target);
    }
    return {
      dir,
      // With class folders: import the staging folder as a whole (its loose files are read there too).
      paths: folders ? [dir] : loose,
      display: (file) => {
        const rel = path.relative(dir, file);
        return rel === '' ? 'upload' : `upload:${rel.split(path.sep).join('/')}`;
      },
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/**
 * An uploaded batch's name: what the person picked (a folder or file name, sent by the renderer) without
 * control or bidi characters, or the one file's name, else "N uploaded files".
 */
export function uploadSource(source: string | undefined, files: { name: string }[]): string {
  const clean = (source ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (clean) return clean.slice(0, 255);
  if (files.length === 1) return (files[0]!.name.split(/[\\/]/).pop() ?? 'upload').slice(0, 255);
  return `${files.length} uploaded files`;
}
