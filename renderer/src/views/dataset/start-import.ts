/** Starts an import from a drop or a file picker, the way the transport allows. */
import { core } from '../../lib/core.svelte';
import { entriesOfDrop, filesFromList, readEntries } from './files';
import type { Importer } from './importer.svelte';

function pathsOf(files: File[]): string[] | null {
  const pathForFile = core.connection?.pathForFile;
  if (!pathForFile) return null;
  return files.map((f) => pathForFile(f)).filter((p) => p.length > 0);
}

/** Files from an "Import…" picker. */
export function importPicked(importer: Importer, files: File[]): Promise<void> {
  const paths = pathsOf(files);
  return paths ? importer.importPaths(paths) : importer.importFiles(filesFromList(files));
}

/** A drop of files and folders anywhere on the view. Must be called inside the drop handler. */
export function importDropped(importer: Importer, dt: DataTransfer): Promise<void> {
  // Electron: dropped folders are Files too, with a path on disk; the core walks them.
  const paths = pathsOf([...dt.files]);
  if (paths) return importer.importPaths(paths);
  const { entries, loose } = entriesOfDrop(dt);
  return (async () => {
    const files = [...(await readEntries(entries)), ...filesFromList(loose)];
    await importer.importFiles(files);
  })();
}
