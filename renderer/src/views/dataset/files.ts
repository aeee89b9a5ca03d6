/**
 * Files a person hands the Dataset view (drop or file picker), as what the core's import needs:
 * paths on disk in Electron, or named files to upload in browser mode. Names keep the class folder
 * ("A/img.png") so the core can label by folder.
 */

export interface PickedFile {
  /** "A/img.png" when the file sat in a folder, else its file name. */
  name: string;
  /** The whole relative path when known ("data/emnist/train-images-idx3-ubyte"), to pair IDX files. */
  path?: string;
  file: File;
}

/** At most this much base64 per dataset.importUpload request. */
export const MAX_UPLOAD_CHARS = 16 * 1024 * 1024;
/** The contract's bound on files per request. */
export const MAX_UPLOAD_FILES = 5000;

/** The last folder and the file name of a relative path ("data/A/x.png" → "A/x.png"). */
export function uploadName(relativePath: string, fallback: string): string {
  const parts = relativePath.split('/').filter(Boolean);
  if (parts.length >= 2) return `${parts[parts.length - 2]}/${parts[parts.length - 1]}`;
  return parts[0] ?? fallback;
}

/** A file picker's selection (`webkitdirectory` pickers carry the folder path). */
export function filesFromList(list: FileList | File[]): PickedFile[] {
  return [...list].map((file) => {
    const path = file.webkitRelativePath || file.name;
    return { name: uploadName(path, file.name), path, file };
  });
}

/**
 * Entries of a drop, taken synchronously (the DataTransfer is emptied once the drop handler
 * returns); read them with `readEntries` afterwards.
 */
export function entriesOfDrop(dt: DataTransfer): { entries: FileSystemEntry[]; loose: File[] } {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (!entries.length && !loose.length) loose.push(...dt.files);
  return { entries, loose };
}

/** Every file under the dropped entries (folders walked recursively). */
export async function readEntries(entries: FileSystemEntry[]): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ name: uploadName(entry.fullPath, file.name), path: entry.fullPath.replace(/^\//, ''), file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries answers in batches (100 in Chromium) until an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}

/** A file's bytes as base64 (without the data: prefix). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error(`${file.name}: cannot read the file (${reader.error?.message ?? 'unknown error'})`));
    reader.readAsDataURL(file);
  });
}

const IDX_IMAGES = /images([-.])idx3-ubyte(\.gz)?$/i;
/** Data files the core reads only at the top of an upload (never inside a class folder). */
const DATA_FILE = /(idx[13]-ubyte(\.gz)?|\.csv|(^|\/)mapping\.txt)$/i;

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Base64 length of a file. */
function chars(f: PickedFile): number {
  return Math.ceil(f.file.size / 3) * 4;
}

interface Unit {
  files: PickedFile[];
  /** Sent in a request of its own (an IDX set with its mapping.txt). */
  alone: boolean;
}

/**
 * What travels together. IDX, CSV and mapping.txt files lose their folder (the core reads data files
 * at the top of an upload); each IDX images file travels alone with its labels file and its folder's
 * mapping.txt. Names are made unique (the core refuses a name sent twice): "A/x.png" seen again
 * becomes "A/x~2.png".
 */
function units(files: PickedFile[]): Unit[] {
  const taken = new Set<PickedFile>();
  const out: Unit[] = [];
  const byPath = new Map(files.map((f) => [f.path ?? f.name, f]));
  for (const f of files) {
    const full = f.path ?? f.name;
    if (!IDX_IMAGES.test(full)) continue;
    const folder = full.slice(0, full.lastIndexOf('/') + 1);
    const labels = full.replace(IDX_IMAGES, (_m, sep: string) => `labels${sep}idx1-ubyte`);
    const unit = [f];
    for (const candidate of [labels, `${labels}.gz`, `${folder}mapping.txt`]) {
      const g = byPath.get(candidate);
      if (g && !taken.has(g)) unit.push(g);
    }
    for (const g of unit) taken.add(g);
    out.push({ files: unit.map((g) => ({ ...g, name: baseName(g.name) })), alone: true });
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (taken.has(f)) continue;
    const wanted = DATA_FILE.test(f.name) ? baseName(f.name) : f.name;
    let name = wanted;
    for (let k = 2; seen.has(name); k++) name = wanted.replace(/(\.[^./]*)?$/, (ext) => `~${k}${ext}`);
    seen.add(name);
    out.push({ files: [{ ...f, name }], alone: false });
  }
  return out;
}

/** Groups files into uploads of at most MAX_UPLOAD_CHARS base64 and MAX_UPLOAD_FILES files. */
export function planUploads(files: PickedFile[]): PickedFile[][] {
  const groups: PickedFile[][] = [];
  let current: PickedFile[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) groups.push(current);
    current = [];
    size = 0;
  };
  for (const unit of units(files)) {
    if (unit.alone) {
      groups.push(unit.files);
      continue;
    }
    const unitSize = unit.files.reduce((n, f) => n + chars(f), 0);
    if (current.length && (size + unitSize > MAX_UPLOAD_CHARS || current.length + unit.files.length > MAX_UPLOAD_FILES)) flush();
    current.push(...unit.files);
    size += unitSize;
  }
  flush();
  return groups;
}
