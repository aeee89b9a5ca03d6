import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/common/csp';
import { windowOptions } from '../../../main/host/window-options';

describe('locked-down renderer', () => {
  it('runs isolated and sandboxed, without Node', () => {
    const prefs = windowOptions().webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('has a CSP with no remote origins and no eval', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['object-src']).toEqual(["'none'"]);
    for (const values of Object.values(directives) as string[][]) {
      for (const v of values) expect(v, v).toMatch(/^('[\w-]+'|blob:|data:|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
    }
  });

  it('denies navigation and new windows, and checks the IPC sender frame (main/app.ts)', () => {
    const src = fs.readFileSync('main/app.ts', 'utf8');
    expect(src).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(src).toMatch(/on\('will-navigate'[\s\S]*?preventDefault/);
    expect(src).toMatch(/senderFrame[\s\S]*?isAppUrl\(frame\.url\)/);
    expect(src).toMatch(/requestSingleInstanceLock/);
  });

  it('keeps electron out of everything but main/app.ts and preload/, and the core out of the renderer', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync(process.execPath, ['scripts/check-layers.mjs'], { encoding: 'utf8' })).toContain('layers: ok');
  });
});
