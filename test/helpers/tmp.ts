import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core';
import { dispatch } from '../../main/common/rpc/server';
import type { Input, Output, RequestName } from '../../main/common/contract';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tmpDir(prefix = 'glyphlab-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A core on a temporary data folder, and a typed `call` that goes through validation. */
export function tmpCore(opts: Partial<CoreOptions> = {}) {
  const { dir, cleanup } = tmpDir();
  const core: Core = createCore({ dataDir: dir, ...opts });
  const call = <K extends RequestName>(method: K, params: Input<K>) =>
    dispatch(core.handlers, method, params, { signal: new AbortController().signal }) as Promise<Output<K>>;
  return {
    core,
    dir,
    call,
    async close() {
      await core.close();
      cleanup();
    },
  };
}
