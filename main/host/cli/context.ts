import path from 'node:path';
import { dispatch } from '../../common/rpc/server';
import type { Input, Output, RequestName } from '../../common/contract';
import { type Core, type CoreOptions, openCoreOrRecovery } from '../../core';
import type { BackendPreference } from '../../core/ml/backends';
import { defaultDataDir } from '../../core/paths';

/** Where a CLI command's core opens: the given database or the app's default one. */
export function coreOptions(opts: { db?: string; backend?: BackendPreference }): CoreOptions {
  if (opts.db) {
    const dbPath = path.resolve(opts.db);
    return { dataDir: path.dirname(dbPath), dbPath, backend: opts.backend ?? 'auto' };
  }
  return { dataDir: defaultDataDir(), backend: opts.backend ?? 'auto' };
}

/** Opens the core for one CLI command, on the given database or the app's default one. */
export function openCore(opts: { db?: string; backend?: BackendPreference }): Core {
  const { core, damaged } = openCoreOrRecovery(coreOptions(opts));
  warnDamaged(damaged);
  return core;
}

/** A damaged database opens in recovery mode; the CLI says so once and goes on (backup.* still answer). */
export function warnDamaged(damaged: { dbPath: string; problem: string } | null): void {
  if (damaged) {
    process.stderr.write(`glyphlab: ${damaged.dbPath} is damaged (${damaged.problem}); only backup and restore work until it is restored.\n`);
  }
}

/** Calls a request through the contract (validated exactly as the UI's calls are). */
export async function call<K extends RequestName>(core: Core, method: K, params: Input<K>, signal?: AbortSignal): Promise<Output<K>> {
  return (await dispatch(core.handlers, method, params, { signal: signal ?? new AbortController().signal })) as Output<K>;
}

/** Prints one JSON object as the last line of stdout (the CLI contract's --json form). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
