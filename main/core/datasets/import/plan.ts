import fs from 'node:fs';
import path from 'node:path';
import type { ImportFormat } from '../../../common/contract/dataset';
import { labelFromFolderName } from '../folder-names';
import type { ErrorList } from './env';
import { IMAGE_EXT_RE, type ImageItem } from './images';
import { IDX_IMAGES_RE, IDX_LABELS_RE } from './idx';

/** What an import will read, worked out from the paths and the format before anything is stored. */
export interface ImportPlan {
  idx: string[];
  csv: string[];
  images: ImageItem[];
}

function hidden(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

function sortedEntries(dir: string): fs.Dirent[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !hidden(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every file under a folder, recursively, in name order. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of sortedEntries(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function sniffIdxImages(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(4);
    const n = fs.readSync(fd, b, 0, 4, 0);
    fs.closeSync(fd);
    return n === 4 && b.readUInt32BE(0) === 0x803;
  } catch {
    return false;
  }
}

/** Files the importers read as companions of others, never on their own. */
function companion(file: string): boolean {
  const b = path.basename(file);
  return IDX_LABELS_RE.test(b) || /^mapping\.txt$/i.test(b);
}

/** 'IDX' for an IDX images file (by name or magic), 'CSV' for a .csv file, else null. */
function dataFileKind(file: string): 'IDX' | 'CSV' | null {
  const base = path.basename(file);
  if (IDX_IMAGES_RE.test(base)) return 'IDX';
  if (/\.csv$/i.test(base)) return 'CSV';
  if (!IMAGE_EXT_RE.test(base) && sniffIdxImages(file)) return 'IDX';
  return null;
}

export function buildPlan(
  paths: string[],
  format: ImportFormat,
  label: string | null,
  errors: ErrorList,
  display: (f: string) => string,
): ImportPlan {
  const plan: ImportPlan = { idx: [], csv: [], images: [] };
  const addFile = (file: string, fmt: ImportFormat, fileLabel: string | null, explicit: boolean) => {
    const base = path.basename(file);
    if (fmt === 'idx') {
      if (IDX_IMAGES_RE.test(base) || sniffIdxImages(file)) plan.idx.push(file);
      else if (companion(file)) {
        if (explicit && IDX_LABELS_RE.test(base)) errors.add(display(file), 'an IDX labels file: pass its images file (the labels are read with it)');
      } else if (explicit) errors.add(display(file), 'not an IDX images file (name *-images-idx3-ubyte[.gz], magic 0x00000803)');
    } else if (fmt === 'csv') {
      if (explicit || /\.csv$/i.test(base)) plan.csv.push(file);
    }
    else if (fmt === 'images' || fmt === 'folder') {
      if (explicit || IMAGE_EXT_RE.test(base)) plan.images.push({ file, label: fileLabel });
    } else {
      // auto: by name, then by content.
      if (IDX_IMAGES_RE.test(base)) plan.idx.push(file);
      else if (companion(file)) return;
      else if (/\.csv$/i.test(base)) plan.csv.push(file);
      else if (IMAGE_EXT_RE.test(base)) plan.images.push({ file, label: fileLabel });
      else if (sniffIdxImages(file)) plan.idx.push(file);
      else if (explicit) plan.images.push({ file, label: fileLabel }); // the decoder says what is wrong with it
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.add(display(p), 'no such file or folder');
      continue;
    }
    if (st.isFile()) {
      if (format === 'folder') errors.add(display(p), 'not a folder (format "folder" expects one subfolder per class)');
      else addFile(p, format, label, true);
      continue;
    }
    if (!st.isDirectory()) {
      errors.add(display(p), 'not a regular file or folder');
      continue;
    }
    if (format === 'images' || format === 'idx' || format === 'csv') {
      for (const f of filesUnder(p)) {
        const before = plan.idx.length + plan.csv.length + plan.images.length;
        addFile(f, format, label, false);
        if (plan.idx.length + plan.csv.length + plan.images.length === before && !companion(f)) {
          errors.add(display(f), `skipped: not ${format === 'idx' ? 'an IDX images file' : format === 'csv' ? 'a .csv file' : 'an image'} (format "${format}")`);
        }
      }
      continue;
    }
    // folder / auto: subfolders are classes (Keras image_dataset_from_directory); files at the top are read as they are.
    for (const e of sortedEntries(p)) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        const classLabel = labelFromFolderName(e.name);
        for (const f of filesUnder(full)) {
          if (IMAGE_EXT_RE.test(f)) plan.images.push({ file: f, label: classLabel });
          else if (format === 'folder') {
            // IDX and CSV files carry their own labels: they are not images of this class.
            const kind = dataFileKind(f);
            if (kind) errors.add(display(f), `${kind} file inside class folder '${e.name}': not read with format "folder" (import it with format "auto" or "${kind.toLowerCase()}")`);
            else plan.images.push({ file: f, label: classLabel }); // the decoder says what is wrong with it
          } else {
            const kind = dataFileKind(f);
            if (kind === 'IDX') plan.idx.push(f);
            else if (kind === 'CSV') plan.csv.push(f);
            else if (!companion(f)) errors.add(display(f), `skipped: not an image, IDX or CSV file (in class folder '${e.name}')`);
          }
        }
      } else if (e.isFile()) {
        const before = plan.idx.length + plan.csv.length + plan.images.length;
        addFile(full, format === 'folder' ? 'images' : 'auto', label, false);
        if (plan.idx.length + plan.csv.length + plan.images.length === before && !companion(full)) {
          errors.add(display(full), format === 'folder' ? 'skipped: not an image (format "folder" reads images and class folders of images)' : 'skipped: not an image, IDX or CSV file');
        }
      }
    }
  }
  return plan;
}
