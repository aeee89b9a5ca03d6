import type { Command } from 'commander';
import { call, openCore, printJson } from '../context';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the data folder, database, schema version and the ML backend in use')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--backend <name>', 'auto|node|wasm|cpu', 'auto')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; backend: 'auto' | 'node' | 'wasm' | 'cpu'; json?: boolean }) => {
      const core = openCore(opts);
      try {
        const info = await call(core, 'app.info', {});
        if (opts.json) printJson(info);
        else {
          console.log(`glyphlab ${info.version}`);
          console.log(`database   ${info.dbPath} (schema v${info.schemaVersion})`);
          console.log(`backend    ${info.backend.name} — ${info.backend.reason}`);
          console.log(`inference  ${info.backend.inference}`);
        }
      } finally {
        await core.close();
      }
    });
}
