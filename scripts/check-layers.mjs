// Layering rules, checked by `npm run lint`:
// - only main/app.ts and preload/ import 'electron';
// - main/core and main/common never import electron; main/common imports no Node built-ins;
// - main/core never imports main/host (the hosts serve the core, not the other way round);
// - main/common imports nothing outside main/common but zod (the contract is shared by every side);
// - renderer/ imports nothing from main/core or main/host, nor Node or core-only packages.
// `node scripts/check-layers.mjs [ROOT]` checks ROOT (default: this checkout).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.dirname(path.dirname(fileURLToPath(import.meta.url))));
/** Packages main/common may import. */
const commonPackages = new Set(['zod']);
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* files(dir) {
  if (!fs.existsSync(path.join(root, dir))) return;
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') yield* files(rel);
    } else if (/\.(ts|svelte|js|mjs)$/.test(e.name)) yield rel;
  }
}

const problems = [];
for (const top of ['main', 'preload', 'renderer/src']) {
  for (const file of files(top)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      const posix = file.split(path.sep).join('/');
      const resolved = spec.startsWith('.') ? path.posix.join(path.posix.dirname(posix), spec) : spec;
      if (spec === 'electron' && posix !== 'main/app.ts' && !posix.startsWith('preload/')) {
        problems.push(`${posix}: imports electron (only main/app.ts and preload/ may)`);
      }
      if (posix.startsWith('main/common/') && (spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto'].includes(spec))) {
        problems.push(`${posix}: main/common must stay free of Node (imports ${spec})`);
      } else if (posix.startsWith('main/common/') && (spec.startsWith('.') ? !resolved.startsWith('main/common/') : !commonPackages.has(spec))) {
        problems.push(`${posix}: main/common imports nothing outside main/common but ${[...commonPackages].join(', ')} (imports ${spec})`);
      }
      if (posix.startsWith('main/core/') && spec.startsWith('.') && /^main\/host(\/|$)/.test(resolved)) {
        problems.push(`${posix}: main/core never imports main/host (imports ${spec})`);
      }
      if (posix.startsWith('renderer/')) {
        if (/(^|\/)main\/(core|host)\//.test(resolved) || /^(node:|fs$|path$|better-sqlite3|sharp|@tensorflow|onnxruntime)/.test(spec)) {
          problems.push(`${posix}: the renderer talks to the core only through the contract (imports ${spec})`);
        }
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers: ok');
