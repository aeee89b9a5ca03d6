// Builds everything the app and the tests run: the main-process entries (esbuild, node packages
// left external) and the renderer (vite). Run by `npm install` (prepare), `npm run build`, `npm test`.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = process.argv[2]; // 'main' | 'renderer' | undefined (both)
const t0 = Date.now();

if (only !== 'renderer') {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  };
  await build({
    ...common,
    format: 'esm',
    splitting: true,
    outdir: 'dist/main',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    entryPoints: {
      cli: 'main/host/cli/main.ts',
      app: 'main/app.ts',
      ...(await workerEntries()),
    },
    external: ['electron'],
  });
  // Sandboxed preloads must be a single CommonJS file.
  await build({ ...common, packages: undefined, external: ['electron'], format: 'cjs', entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs' });
}
if (only !== 'main') {
  await viteBuild({ configFile: path.join(root, 'scripts', 'vite.renderer.config.ts'), logLevel: 'warn' });
}
console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

/** Worker-thread entries (files named *.worker.ts under main/core and main/host) become dist/main/<name>.js. */
async function workerEntries() {
  const fs = await import('node:fs');
  const entries = {};
  for (const dir of ['main/core', 'main/host']) {
    for (const f of fs.readdirSync(path.join(root, dir), { recursive: true })) {
      if (String(f).endsWith('.worker.ts')) entries[path.basename(String(f), '.ts')] = path.join(dir, String(f));
    }
  }
  return entries;
}
