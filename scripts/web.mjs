// `npm run web`: browser mode. Builds what is missing, then serves the core and the renderer on
// 127.0.0.1 and prints the URL (with its one-time token) to open. Extra arguments go to `glyphlab serve`.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!fs.existsSync(path.join(root, 'dist/main/cli.js')) || !fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, [path.join(root, 'bin/glyphlab.js'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
