import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project (or packaged app) root: the folder holding package.json, found upward from this file. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('glyphlab: cannot find the app root (package.json)');
}

/** The built renderer (vite build output). */
export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}

export function resourcesDir(): string {
  return path.join(appRoot(), 'resources');
}
