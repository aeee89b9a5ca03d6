import type { backupRequests } from '../../common/contract/backup';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { createBackup } from './create';
import { backupDir, listBackups } from './files';
import { restoreIntoOpenDatabase } from './restore';
import { salvageDatabase } from './salvage';

export type BackupHandlers = Pick<Handlers, keyof typeof backupRequests>;

/** backup.* of a core whose database opened cleanly (see recovery-core.ts for a damaged one). */
export function createBackupHandlers(ctx: CoreContext): BackupHandlers {
  const dir = backupDir(ctx.dataDir);
  return {
    'backup.status': () => ({ state: 'ok', dbPath: ctx.dbPath, problem: null, backupDir: dir }),
    'backup.list': () => listBackups(dir),
    'backup.create': (_input, { signal }) => createBackup(ctx.db, dir, 'manual', { signal }),
    'backup.restore': ({ name }) => restoreIntoOpenDatabase(ctx, dir, name),
    'backup.salvage': () => salvageDatabase(ctx.dbPath, dir),
  };
}
