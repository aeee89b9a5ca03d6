import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../main/host/bridge';
import { rendererDir } from '../../main/host/locations';
import { tmpCore } from './tmp';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserSkipReason(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) return 'renderer not built (npm run build)';
  return null;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * The app in browser mode, as a person gets it from `npm run web`: a core on a fresh data folder,
 * the bridge serving the built renderer, and a Chromium page opened on the printed URL.
 */
export async function openApp(opts: { browser: Browser; viewport?: { width: number; height: number } }) {
  const app = tmpCore();
  const bridge: Bridge = await startBridge(app.core, { staticDir: rendererDir() });
  const context = await opts.browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const page: Page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(bridge.pageUrl);
  return {
    ...app,
    bridge,
    page,
    consoleErrors,
    async close() {
      await context.close();
      await bridge.close();
      await app.close();
    },
  };
}

/** Where tests put screenshots for a person to look at. */
export function screenshotPath(name: string): string {
  const dir = path.resolve('test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
