import path from 'node:path';
import { requests, type EventName, type RequestName } from '../../common/contract';
import { GlyphError } from '../../common/errors';
import type { HandlerContext, Handlers } from '../../common/rpc/server';
import type { Core, CoreOptions, EventListener } from '../index';
import { appHandlers } from '../app/handlers';
import { JobRegistry } from '../jobs/registry';
import { backupDir, headerSchemaVersion, listBackups } from './files';
import { restoreIntoClosedDatabase } from './restore';
import { salvageDatabase } from './salvage';

type AnyHandler = (input: unknown, hctx: HandlerContext) => unknown;

/**
 * A core over a damaged database that never opens it for writing: app.info, jobs.*, and backup.*
 * (status, list, restore, salvage) answer; everything else is 'unsupported'. Once a backup is
 * restored, a normal core is opened on the restored file and every request goes to it (the UI
 * reloads its views). `open` is createCore (passed in: index.ts imports this file).
 */
export function createRecoveryCore(opts: CoreOptions, problem: string, open: (opts: CoreOptions) => Core): Core {
  const dbPath = opts.dbPath ?? path.join(opts.dataDir, 'glyphlab.db');
  const dir = backupDir(opts.dataDir);
  const listeners = new Set<EventListener>();
  const emit = (name: EventName, payload: unknown) => {
    for (const fn of listeners) fn(name, payload);
  };
  const jobs = new JobRegistry(emit as never);
  let inner: Core | null = null;
  let innerOff: (() => void) | null = null;

  const own: Partial<Record<RequestName, AnyHandler>> = {
    ...(appHandlers({
      dataDir: opts.dataDir,
      dbPath,
      jobs,
      backendPreference: opts.backend ?? 'auto',
      schemaVersion: () => safeVersion(dbPath),
    }) as Partial<Record<RequestName, AnyHandler>>),
    'backup.status': () => ({ state: 'damaged', dbPath, problem, backupDir: dir }),
    'backup.list': () => listBackups(dir),
    'backup.create': () => {
      throw new GlyphError('unsupported', 'The database is damaged: a backup of it would be damaged too. Salvage it (backup.salvage) or restore a backup.');
    },
    'backup.salvage': () => salvageDatabase(dbPath, dir),
    'backup.restore': (input) => {
      const result = restoreIntoClosedDatabase(dbPath, dir, (input as { name: string }).name);
      inner = open(opts);
      innerOff = inner.onEvent((name, payload) => emit(name, payload));
      return result;
    },
  };

  const handlers = Object.fromEntries(
    (Object.keys(requests) as RequestName[]).map((name) => [
      name,
      (input: unknown, hctx: HandlerContext) => {
        if (inner) return (inner.handlers[name] as AnyHandler)(input, hctx);
        const h = own[name];
        if (h) return h(input, hctx);
        throw new GlyphError('unsupported', `${name}: unavailable while the database is damaged (${dbPath}); restore a backup or salvage it first`);
      },
    ]),
  ) as unknown as Handlers;

  return {
    handlers,
    get dbPath() {
      return dbPath;
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      jobs.cancelAll();
      innerOff?.();
      listeners.clear();
      if (inner) await inner.close();
    },
  };
}

function safeVersion(file: string): number {
  try {
    return headerSchemaVersion(file);
  } catch {
    return 0;
  }
}
