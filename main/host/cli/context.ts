import path from 'node:path';
import { dispatch } from '../../common/rpc/server';
import type { Input, Output, RequestName } from '../../common/contract';
import { type Core, openCoreOrRecovery } from '../../core';
import type { BackendPreference } from '../../core/ml/backends';
import { defaultDataDir } from '../../core/paths';

/** Opens the core for one CLI command, on the given database or the app's default one. */
export function openCore(opts: { db?: string; backend?: BackendPreference }): Core {
  if (opts.db) {
    const dbPath = path.resolve(opts.db);
    return openChecked({ dataDir: path.dirname(dbPath), dbPath, backend: opts.backend ?? 'auto' });
  }
  return openChecked({ dataDir: defaultDataDir(), backend: opts.backend ?? 'auto' });
}

/** A damaged database opens in recovery mode; the CLI says so once and goes on (backup.* still answer). */
function openChecked(opts: Parameters<typeof openCoreOrRecovery>[0]): Core {
  const { core, damaged } = openCoreOrRecovery(opts);
  if (damaged) {
    process.stderr.write(`glyphlab: ${damaged.dbPath} is damaged (${damaged.problem}); only backup and restore work until it is restored.\n`);
  }
  return core;
}

/** Calls a request through the contract (validated exactly as the UI's calls are). */
export async function call<K extends RequestName>(core: Core, method: K, params: Input<K>, signal?: AbortSignal): Promise<Output<K>> {
  return (await dispatch(core.handlers, method, params, { signal: signal ?? new AbortController().signal })) as Output<K>;
}

/** Prints one JSON object as the last line of stdout (the CLI contract's --json form). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
