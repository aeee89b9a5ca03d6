import os from 'node:os';
import type { BackendInfo } from '../../common/contract';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { detectBackend } from '../ml/backends';
import { VERSION } from '../version';

export type AppHandlers = Pick<Handlers, 'app.info' | 'jobs.list' | 'jobs.get' | 'jobs.cancel'>;

/** What app.info and jobs.* read: the core's context, or a recovery core's (no open database). */
export interface AppSource extends Pick<CoreContext, 'dataDir' | 'dbPath' | 'jobs' | 'backendPreference'> {
  schemaVersion(): number;
}

export function createAppHandlers(ctx: CoreContext): AppHandlers {
  return appHandlers({ ...ctx, schemaVersion: () => ctx.db.pragma('user_version', { simple: true }) as number });
}

export function appHandlers(ctx: AppSource): AppHandlers {
  let backend: Promise<BackendInfo> | null = null;
  const backendInfo = () => (backend ??= detectBackend(ctx.backendPreference));
  return {
    'app.info': async () => ({
      version: VERSION,
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
      schemaVersion: ctx.schemaVersion(),
      backend: await backendInfo(),
      platform: `${os.platform()}-${os.arch()}`,
      node: process.versions.node,
    }),
    'jobs.list': () => ctx.jobs.list(),
    'jobs.get': ({ id }) => ctx.jobs.get(id),
    'jobs.cancel': ({ id }) => ({ cancelled: ctx.jobs.cancel(id) }),
  };
}
