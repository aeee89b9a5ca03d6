#!/usr/bin/env node
// The `glyphlab` command (package.json "bin"). The CLI itself is built from main/host/cli by
// `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = path.join(root, 'dist', 'main', 'cli.js');
if (!existsSync(built)) {
  process.stderr.write('glyphlab: the CLI is not built yet; run `npm run build` in ' + root + '\n');
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(built).href);
process.exitCode = await runCli(process.argv.slice(2));
