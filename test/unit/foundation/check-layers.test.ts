import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** scripts/check-layers.mjs run on a made-up tree: its exit status and output. */
function checkLayers(tree: Record<string, string>): { ok: boolean; output: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-layers-'));
  roots.push(root);
  for (const [file, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  try {
    const output = execFileSync(process.execPath, ['scripts/check-layers.mjs', root], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    expect(err.status).toBe(1);
    return { ok: false, output: err.stderr };
  }
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

const clean = {
  'main/common/contract/a.ts': "import { z } from 'zod';\nimport { b } from './b';\n",
  'main/common/contract/b.ts': "export const b = 1;\n",
  'main/core/db/open.ts': "import fs from 'node:fs';\nimport { b } from '../../common/contract/b';\n",
  'main/host/cli.ts': "import { open } from '../core/db/open';\n",
};

describe('scripts/check-layers.mjs', () => {
  it('passes a tree that keeps the layers', () => {
    expect(checkLayers(clean)).toEqual({ ok: true, output: 'layers: ok\n' });
  });

  it('fails when the core imports the host, naming the file and the import', () => {
    const r = checkLayers({ ...clean, 'main/core/jobs/x.ts': "import type { Cli } from '../../host/cli';\n" });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('main/core/jobs/x.ts: main/core never imports main/host (imports ../../host/cli)');
  });

  it('fails when common imports the core, the host or a package other than zod', () => {
    const r = checkLayers({
      ...clean,
      'main/common/rpc/x.ts': "import { open } from '../../core/db/open';\nexport { cli } from '../../host/cli';\n",
      'main/common/y.ts': "import sharp from 'sharp';\nimport '../core/db/open';\n",
    });
    expect(r.ok).toBe(false);
    const lines = r.output.trim().split('\n');
    expect(lines).toEqual([
      'main/common/rpc/x.ts: main/common imports nothing outside main/common but zod (imports ../../core/db/open)',
      'main/common/rpc/x.ts: main/common imports nothing outside main/common but zod (imports ../../host/cli)',
      'main/common/y.ts: main/common imports nothing outside main/common but zod (imports sharp)',
      'main/common/y.ts: main/common imports nothing outside main/common but zod (imports ../core/db/open)',
    ]);
  });

  it('still fails on Node in common and the core in the renderer', () => {
    const r = checkLayers({
      ...clean,
      'main/common/z.ts': "import fs from 'node:fs';\n",
      'renderer/src/v.ts': "import { open } from '../../main/core/db/open';\n",
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain('main/common/z.ts: main/common must stay free of Node (imports node:fs)');
    expect(r.output).toContain('renderer/src/v.ts: the renderer talks to the core only through the contract');
  });
});
