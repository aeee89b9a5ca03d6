// `npm start`: the Electron app. Electron's binary is fetched on first start (its install script is
// not run by `npm ci`, so that installing works offline). Where it cannot be had (no network) or
// there is no display, say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function electronPath() {
  try {
    const p = require('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function fallback(reason) {
  console.log(`glyphlab: ${reason}; starting browser mode instead.`);
  const child = spawn(process.execPath, [path.join(root, 'scripts/web.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let bin = electronPath();
if (!bin) {
  let installScript = null;
  try {
    installScript = require.resolve('electron/install.js');
  } catch {
    /* electron package absent */
  }
  if (installScript) {
    console.log('glyphlab: downloading the Electron binary (first start)…');
    spawnSync(process.execPath, [installScript], { stdio: 'ignore', timeout: 300_000 });
    bin = electronPath();
  }
}

if (!bin) {
  fallback("Electron's binary is not installed and could not be downloaded");
} else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fallback('no display is available for a window');
} else {
  const binding = electronSqliteBinding();
  if (!binding) {
    fallback('better-sqlite3 could not be built for Electron (see the messages above)');
  } else {
    const child = spawn(bin, [path.join(root, 'dist/main/app.js')], {
      stdio: 'inherit',
      env: { ...process.env, GLYPHLAB_SQLITE_BINDING: binding },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}

/**
 * better-sqlite3 is built for Node by `npm ci`; Electron needs a build for its own ABI. Make one once
 * per Electron version in a copy of the package (so the Node build the CLI and tests use stays) and
 * hand its path to the app. Packaged apps get theirs from electron-builder instead.
 */
function electronSqliteBinding() {
  const version = require('electron/package.json').version;
  const outDir = path.join(root, 'node_modules', '.glyphlab-electron', version);
  const out = path.join(outDir, 'better_sqlite3.node');
  if (fs.existsSync(out)) return out;
  console.log(`glyphlab: building better-sqlite3 for Electron ${version} (once)…`);
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(outDir, 'build-src');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  // A prebuilt binary for this Electron version when one can be downloaded, else a local build.
  try {
    const prebuild = require.resolve('prebuild-install/bin.js', { paths: [src] });
    spawnSync(process.execPath, [prebuild, '--runtime=electron', `--target=${version}`], { cwd: work, stdio: 'inherit' });
  } catch {
    /* prebuild-install not present */
  }
  if (!fs.existsSync(built)) {
    const gyp = require.resolve('node-gyp/bin/node-gyp.js');
    spawnSync(process.execPath, [gyp, 'rebuild', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
  }
  if (!fs.existsSync(built)) return null;
  fs.copyFileSync(built, out);
  fs.rmSync(work, { recursive: true, force: true });
  return out;
}
