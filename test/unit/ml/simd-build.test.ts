import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('wasm SIMD kernels', () => {
  it('the committed bytes are what the .wat sources compile to', () => {
    const r = spawnSync(process.execPath, [path.resolve('scripts/build-simd.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
