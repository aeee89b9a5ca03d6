import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExportFormat } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';

/** The files an IDX export writes into its folder. */
export function idxFiles(out: string, gzip: boolean): string[] {
  const gz = gzip ? '.gz' : '';
  return [`glyphlab-images-idx3-ubyte${gz}`, `glyphlab-labels-idx1-ubyte${gz}`, 'mapping.txt'].map((f) => path.join(out, f));
}

/**
 * Refuses (conflict) an export that would replace something that exists, unless `overwrite` (the CLI's
 * --force): the CSV file, any IDX file, or a class-folder tree written into a folder that is not empty.
 * Called before the job starts (so the caller hears it at once) and again when it runs.
 */
export function checkExportTarget(req: { format: ExportFormat; out: string; gzip?: boolean; overwrite?: boolean }): void {
  const out = path.resolve(req.out);
  const stat = fs.statSync(out, { throwIfNoEntry: false });
  if (req.format === 'csv') {
    if (stat?.isDirectory()) throw new GlyphError('bad_input', `${out} is a folder; a CSV export needs a file name`, { file: out });
    if (stat && !req.overwrite) throw exists(out);
    return;
  }
  if (stat && !stat.isDirectory()) throw new GlyphError('bad_input', `${out} is a file; a ${req.format} export needs a folder`, { file: out });
  if (req.overwrite || !stat) return;
  if (req.format === 'idx') {
    const there = idxFiles(out, Boolean(req.gzip)).find((f) => fs.existsSync(f));
    if (there) throw exists(there);
  } else if (fs.readdirSync(out).length > 0) {
    throw new GlyphError('conflict', `${out} is not empty; choose an empty or new folder, or pass --force to write into it`, { file: out });
  }
}

function exists(file: string): GlyphError {
  return new GlyphError('conflict', `${file} already exists; choose another name, or pass --force to replace it`, { file });
}

/**
 * A file written beside its final name and renamed into place on `commit`: a reader (or a crash) sees the
 * old file or the whole new one, never a half-written or emptied one. `abort` removes the temporary file.
 */
export function atomicFile(file: string): { fd: number; commit(): void; abort(): void } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx');
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return {
    fd,
    commit() {
      fs.fsyncSync(fd);
      close();
      fs.renameSync(tmp, file);
    },
    abort() {
      close();
      fs.rmSync(tmp, { force: true });
    },
  };
}

/** Writes a whole file through `atomicFile`. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const f = atomicFile(file);
  try {
    fs.writeFileSync(f.fd, data);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
