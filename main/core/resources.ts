import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file or folder the app ships under `resources/` (`rel` like `models/default`): in a packaged app
 * under Electron's resources path, in a checkout or an installed package in the nearest `resources/`
 * above this module. `exists` says what must be there (default: the path itself). Null when absent.
 */
export function findResource(rel: string, exists: (p: string) => boolean = fs.existsSync): string | null {
  const candidates: string[] = [];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, rel), path.join(resourcesPath, 'resources', rel));
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; ) {
    candidates.push(path.join(dir, 'resources', rel));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return candidates.find(exists) ?? null;
}
