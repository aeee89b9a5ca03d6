import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../main/host/bridge';
import { startCoreHost } from '../../main/host/core-host/core-host';
import { rendererDir } from '../../main/host/locations';
import { hostClient } from './host-client';
import { tmpDir } from './tmp';

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
 * The app in browser mode, as a person gets it from `npm run web`: the core host (the core in its own
 * thread) on a fresh data folder, the bridge relaying to it and serving the built renderer, and a
 * Chromium page opened on the printed URL. The test's own `call` and `core.onEvent` go through the
 * same host, so they see the page's jobs and events.
 */
export async function openApp(opts: { browser: Browser; viewport?: { width: number; height: number } }) {
  const { dir, cleanup } = tmpDir();
  const host = await startCoreHost({ dataDir: dir });
  const client = hostClient(host);
  const bridge: Bridge = await startBridge(host, { staticDir: rendererDir() });
  const context = await opts.browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const page: Page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  /** The methods of the page's requests, in the order sent (what a key press costs in round trips). */
  const sentMethods: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const m = /^\{"t":"req","id":\d+,"method":"([^"]+)"/.exec(String(f.payload));
      if (m) sentMethods.push(m[1]!);
    }),
  );
  await page.goto(bridge.pageUrl);
  return {
    dir,
    host,
    call: client.call,
    core: { dbPath: host.dbPath, onEvent: client.onEvent },
    bridge,
    page,
    consoleErrors,
    sentMethods,
    async close() {
      await context.close();
      await bridge.close();
      client.close();
      await host.close();
      cleanup();
    },
  };
}

/** Where tests put screenshots for a person to look at. */
export function screenshotPath(name: string): string {
  const dir = path.resolve('test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
