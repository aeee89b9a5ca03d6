import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload } from '../common/contract';
import type { Handlers } from '../common/rpc/server';
import { createAppHandlers } from './app/handlers';
import { createBackupHandlers } from './backup/handlers';
import { createRecoveryCore } from './backup/recovery-core';
import { isDamagedError, prepareDatabaseFile, scheduleDailyBackup } from './backup/startup';
import { createDatasetHandlers } from './datasets/handlers';
import { createEvaluationHandlers } from './evaluation/handlers';
import { createModelsHandlers } from './models/handlers';
import { createModelArchiveHandlers } from './models/archive-handlers';
import { createSampleHandlers } from './app/samples';
import { createOcrHandlers } from './ocr/handlers';
import { createLearnHandlers } from './ocr/learn/handlers';
import { createTrainingHandlers } from './training/handlers';
import type { CoreContext } from './context';
import { openDatabase } from './db/open';
import { JobRegistry } from './jobs/registry';
import type { BackendPreference } from './ml/backends';

export interface CoreOptions {
  /** Folder for the database, models and backups (Electron: userData). */
  dataDir: string;
  /** Database file; default `<dataDir>/glyphlab.db`. */
  dbPath?: string;
  backend?: BackendPreference;
}

export type EventListener = (name: EventName, payload: unknown) => void;

export interface Core {
  handlers: Handlers;
  /** Every event the core pushes; returns an unsubscribe function. */
  onEvent(fn: EventListener): () => void;
  close(): Promise<void>;
  readonly dbPath: string;
}

/** The engine behind every transport: plain Node, no Electron. */
export function createCore(opts: CoreOptions): Core {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dbPath = opts.dbPath ?? path.join(opts.dataDir, 'glyphlab.db');
  // Throws GlyphError 'bad_input' with details.damaged for a damaged file (openCoreOrRecovery below).
  const existed = prepareDatabaseFile(dbPath, opts.dataDir);
  const db = openDatabase(dbPath);
  const listeners = new Set<EventListener>();
  const emit = <K extends EventName>(name: K, payload: EventPayload<K>) => {
    for (const fn of listeners) fn(name, payload);
  };
  const jobs = new JobRegistry(emit);
  const ctx: CoreContext = { db, dbPath, dataDir: opts.dataDir, jobs, emit, backendPreference: opts.backend ?? 'auto' };

  const handlers: Handlers = {
    ...createAppHandlers(ctx),
    ...createDatasetHandlers(ctx),
    ...createTrainingHandlers(ctx),
    ...createModelsHandlers(ctx),
    ...createModelArchiveHandlers(ctx),
    ...createSampleHandlers(),
    ...createEvaluationHandlers(ctx),
    ...createOcrHandlers(ctx),
    ...createBackupHandlers(ctx),
    ...createLearnHandlers(ctx),
  };
  if (existed) scheduleDailyBackup(ctx);

  return {
    handlers,
    dbPath,
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      jobs.cancelAll();
      listeners.clear();
      if (db.open) db.close();
    },
  };
}

export interface OpenedCore {
  core: Core;
  /** Set when the database is damaged and `core` runs in recovery mode. */
  damaged: { dbPath: string; problem: string } | null;
}

/**
 * What hosts call instead of `createCore`: the normal core, or, when the database is damaged, a
 * recovery core with the same interface (backup/recovery-core.ts). Other errors (newer schema,
 * unreadable folder) still throw.
 */
export function openCoreOrRecovery(opts: CoreOptions): OpenedCore {
  try {
    return { core: createCore(opts), damaged: null };
  } catch (e) {
    if (!isDamagedError(e)) throw e;
    const { dbPath, problem } = e.details;
    return { core: createRecoveryCore(opts, problem, createCore), damaged: { dbPath, problem } };
  }
}
