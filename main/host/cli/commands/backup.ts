import type { Command } from 'commander';
import type { BackupInfo } from '../../../common/contract/backup';
import type { Core } from '../../../core';
import { call, openCore, printJson } from '../context';

interface BackupOpts {
  db?: string;
  json?: boolean;
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function line(b: BackupInfo): string {
  return `${b.name}  ${b.kind.padEnd(14)} ${new Date(b.createdAt).toISOString().replace('T', ' ').slice(0, 19)}  ${kb(b.bytes).padStart(9)}  schema v${b.schemaVersion}`;
}

async function withCore<T>(opts: BackupOpts, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = openCore({ db: opts.db });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/**
 * `glyphlab backup status|list|create|restore <name>|salvage`: the Recovery view's actions without a
 * window. A damaged database opens in recovery mode (openCore says so on stderr): status, list,
 * restore and salvage still work; create is refused (a copy of a damaged file would be damaged too).
 */
export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('rolling backups of the database: status, list, create, restore, salvage');
  const common = (cmd: Command) =>
    cmd.option('--db <file>', 'database file (default: the app’s own)').option('--json', 'print one JSON value (last line of stdout)');

  common(backup.command('status').description('whether the database is healthy, and what the start-up check of the models folder found')).action(
    (opts: BackupOpts) =>
      withCore(opts, async (core) => {
        const s = await call(core, 'backup.status', {});
        if (opts.json) return printJson(s);
        console.log(`database   ${s.dbPath}: ${s.state === 'ok' ? 'ok' : `DAMAGED (${s.problem})`}`);
        console.log(`backups    ${s.backupDir}`);
        if (s.models) {
          const m = s.models;
          for (const r of m.removed) console.log(`models     removed a half-saved model folder: ${r}`);
          for (const u of m.unregistered) console.log(`models     folder without a model entry (add it back with models import): ${u}`);
          for (const x of m.missing) console.log(`models     model ${x.id} '${x.name}' has no files at ${x.dir}`);
          if (m.problem) console.log(`models     check failed: ${m.problem}`);
        }
      }),
  );

  common(backup.command('list').description('backups, newest first')).action((opts: BackupOpts) =>
    withCore(opts, async (core) => {
      const list = await call(core, 'backup.list', {});
      if (opts.json) return printJson(list);
      if (list.length === 0) console.log('no backups yet');
      for (const b of list) console.log(line(b));
    }),
  );

  common(backup.command('create').description('take a verified online backup now')).action((opts: BackupOpts) =>
    withCore(opts, async (core) => {
      const b = await call(core, 'backup.create', {});
      if (opts.json) return printJson(b);
      console.log(`backup: ${line(b)}`);
    }),
  );

  common(
    backup
      .command('restore')
      .description('replace the database with a backup (the current one is kept as a backup first)')
      .argument('<name>', 'backup file name, as `backup list` shows it'),
  ).action((name: string, opts: BackupOpts) =>
    withCore(opts, async (core) => {
      const r = await call(core, 'backup.restore', { name });
      if (opts.json) return printJson(r);
      console.log(`restored ${r.restored}${r.safetyCopy ? `; the database as it was is kept as ${r.safetyCopy}` : ''}`);
    }),
  );

  common(backup.command('salvage').description('copy every readable row of a damaged database into a new backup (restore it after)')).action(
    (opts: BackupOpts) =>
      withCore(opts, async (core) => {
        const s = await call(core, 'backup.salvage', {});
        if (opts.json) return printJson(s);
        const rows = Object.entries(s.rows)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ');
        console.log(`salvaged into ${s.name}: ${rows}; ${s.skipped} unreadable stretches skipped, ${s.dropped} rows dropped`);
        console.log(`restore it with: glyphlab backup restore ${s.name}`);
      }),
  );
}
