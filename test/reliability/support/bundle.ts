import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const built = new Map<string, Promise<string>>();

/**
 * Bundles a TypeScript entry (with the core) into one ESM file under node_modules/.cache, once per
 * test process, so a test can run it as a child process with plain node.
 */
export function bundle(entry: string): Promise<string> {
  let p = built.get(entry);
  if (!p) {
    p = (async () => {
      const out = path.join(root, 'node_modules', '.cache', 'glyphlab-tests', `${path.basename(entry, '.ts')}.mjs`);
      const tmp = `${out}.${process.pid}.tmp`;
      await build({ absWorkingDir: root, entryPoints: [entry], outfile: tmp, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });
      fs.renameSync(tmp, out);
      return out;
    })();
    built.set(entry, p);
  }
  return p;
}
