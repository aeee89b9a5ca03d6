import path from 'node:path';
import { dispatch } from '../../common/rpc/server';
import type { Input, Output, RequestName } from '../../common/contract';
import { createCore, type Core } from '../../core';
import type { BackendPreference } from '../../core/ml/backends';
import { defaultDataDir } from '../../core/paths';

/** Opens the core for one CLI command, on the given database or the app's default one. */
export function openCore(opts: { db?: string; backend?: BackendPreference }): Core {
  if (opts.db) {
    const dbPath = path.resolve(opts.db);
    return createCore({ dataDir: path.dirname(dbPath), dbPath, backend: opts.backend ?? 'auto' });
  }
  return createCore({ dataDir: defaultDataDir(), backend: opts.backend ?? 'auto' });
}

/** Calls a request through the contract (validated exactly as the UI's calls are). */
export async function call<K extends RequestName>(core: Core, method: K, params: Input<K>, signal?: AbortSignal): Promise<Output<K>> {
  return (await dispatch(core.handlers, method, params, { signal: signal ?? new AbortController().signal })) as Output<K>;
}

/** Prints one JSON object as the last line of stdout (the CLI contract's --json form). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
