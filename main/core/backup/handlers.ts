import type { backupRequests } from '../../common/contract/backup';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import type { ModelFolderReport } from '../../common/contract/backup';
import { createBackup } from './create';
import { backupDir, listBackups } from './files';
import { checkModelFolders } from './model-folders';
import { restoreIntoOpenDatabase } from './restore';
import { salvageDatabase } from './salvage';

export type BackupHandlers = Pick<Handlers, keyof typeof backupRequests>;

/**
 * backup.* of a core whose database opened cleanly (see recovery-core.ts for a damaged one). Creating
 * them checks the models folder after a possible crash (model-folders.ts): createCore makes these
 * after the training handlers, which first mark runs of ended processes as interrupted.
 */
export function createBackupHandlers(ctx: CoreContext): BackupHandlers {
  const dir = backupDir(ctx.dataDir);
  let models: ModelFolderReport;
  try {
    models = checkModelFolders(ctx);
  } catch (e) {
    models = { removed: [], unregistered: [], missing: [], problem: (e as Error).message };
  }
  return {
    'backup.status': () => ({ state: 'ok', dbPath: ctx.dbPath, problem: null, backupDir: dir, models }),
    'backup.list': () => listBackups(dir),
    'backup.create': (_input, { signal }) => createBackup(ctx.db, dir, 'manual', { signal }),
    'backup.restore': ({ name }) => restoreIntoOpenDatabase(ctx, dir, name),
    'backup.salvage': () => salvageDatabase(ctx.dbPath, dir),
  };
}
