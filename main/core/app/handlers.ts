import os from 'node:os';
import type { BackendInfo } from '../../common/contract';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { detectBackend } from '../ml/backends';
import { VERSION } from '../version';

type AppHandlers = Pick<Handlers, 'app.info' | 'jobs.list' | 'jobs.get' | 'jobs.cancel'>;

export function createAppHandlers(ctx: CoreContext): AppHandlers {
  let backend: Promise<BackendInfo> | null = null;
  const backendInfo = () => (backend ??= detectBackend(ctx.backendPreference));
  return {
    'app.info': async () => ({
      version: VERSION,
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
      schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
      backend: await backendInfo(),
      platform: `${os.platform()}-${os.arch()}`,
      node: process.versions.node,
    }),
    'jobs.list': () => ctx.jobs.list(),
    'jobs.get': ({ id }) => ctx.jobs.get(id),
    'jobs.cancel': ({ id }) => ({ cancelled: ctx.jobs.cancel(id) }),
  };
}
