import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A built worker script (`name`, e.g. train.worker.js): next to the bundle (dist/main/, also from its
 * chunks/), or, when the core runs from TypeScript sources (tests), under the project's dist/main/.
 * Null when it is not built.
 */
export function findBuiltWorker(name: string): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, name), path.join(here, '..', name)];
  for (let dir = here; ; ) {
    candidates.push(path.join(dir, 'dist', 'main', name));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}
