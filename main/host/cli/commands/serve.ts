import path from 'node:path';
import type { Command } from 'commander';
import { type Bridge, startBridge } from '../../bridge';
import { startCoreHost } from '../../core-host/core-host';
import { coreOptions, warnDamaged } from '../context';
import { rendererDir } from '../../locations';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 and print the URL (with its one-time token) to open')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--port <n>', 'port (default: any free one)', (v) => Number.parseInt(v, 10))
    .option('--allow-origin <origin...>', 'extra page origins allowed to connect (the Vite dev server)')
    .option('--backend <name>', 'auto|node|wasm|cpu', 'auto')
    .option('--allow-dir <folder...>', 'folders the page may read and write files in (default: the folder this starts in)')
    .action(async (opts: { db?: string; port?: number; allowOrigin?: string[]; allowDir?: string[]; backend: 'auto' | 'node' | 'wasm' | 'cpu' }) => {
      const allowedDirs = (opts.allowDir ?? [process.cwd()]).map((d) => path.resolve(d));
      // The core runs in its own thread (core-host/); this one only relays, as in the desktop app.
      const core = await startCoreHost(coreOptions(opts));
      warnDamaged(core.damaged);
      let bridge: Bridge;
      try {
        bridge = await startBridge(core, { port: opts.port ?? 0, staticDir: rendererDir(), allowedOrigins: opts.allowOrigin ?? [], allowedDirs });
      } catch (e) {
        await core.close(); // a bad --allow-dir or a port in use: say so and exit
        throw e;
      }
      console.log(`glyphlab is running in browser mode (database: ${core.dbPath})`);
      console.log(`Files: the page reads and writes only inside ${allowedDirs.join(', ')} (--allow-dir to choose)`);
      console.log(`Open: ${bridge.pageUrl}`);
      const stop = async () => {
        await bridge.close();
        await core.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
