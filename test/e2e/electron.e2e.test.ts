import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { tmpDir } from '../helpers/tmp';

/** The Electron binary, or why the test cannot run here (its download needs the network). */
function electronBinary(): { path: string } | { skip: string } {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    if (typeof p === 'string' && fs.existsSync(p)) {
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { skip: 'no display (run under xvfb-run)' };
      return { path: p };
    }
    return { skip: 'electron package has no binary' };
  } catch (e) {
    return { skip: `Electron binary not installed: ${(e as Error).message.split('\n')[0]}` };
  }
}

const bin = electronBinary();
if ('skip' in bin) console.log(`[electron e2e] skipped: ${bin.skip}`);

describe.skipIf('skip' in bin)('Electron app', () => {
  it('opens a locked-down window that talks to the core through the preload', async () => {
    const data = tmpDir();
    const app = await electron.launch({
      executablePath: (bin as { path: string }).path,
      args: ['dist/main/app.js', '--no-sandbox'],
      env: { ...process.env, GLYPHLAB_DATA_DIR: data.dir },
    });
    try {
      const page = await app.firstWindow();
      await page.getByTestId('backend-name').waitFor();
      expect(await page.getByText('Electron', { exact: true }).count()).toBe(1);
      // Only the contract's client is exposed: no Node, no ipcRenderer.
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { glyphlab: object }).glyphlab).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({ keys: ['call', 'on', 'pathForFile'], require: 'undefined', process: 'undefined' });
      const prefs = await app.evaluate(({ BrowserWindow }) =>
        (BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): unknown }).getLastWebPreferences(),
      );
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      // Navigation away and window.open are denied.
      await page.evaluate(() => window.open('https://example.com'));
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      data.cleanup();
    }
  });
});
