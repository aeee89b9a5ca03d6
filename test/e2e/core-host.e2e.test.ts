/**
 * The core host seen from the page (browser mode): the core runs in its own thread behind the bridge;
 * when that thread dies the page says so instead of waiting forever.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';

const skip = browserSkipReason();
if (skip) console.log(`core host e2e skipped: ${skip}`);

describe.skipIf(skip !== null)('core host in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a crash of the core thread shows that the core stopped and how to go on, not a page that waits', async () => {
    const app = await openApp({ browser, viewport: { width: 1024, height: 700 } });
    try {
      const { page } = app;
      await page.getByTestId('backend-name').waitFor();
      await app.host.kill();
      // The next view asks the core for its data: the answer is the host's error.
      await page.getByRole('button', { name: 'Models', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'The glyphlab core stopped' });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toMatch(/stopped unexpectedly.*restart glyphlab/);
      await page.screenshot({ path: screenshotPath('core-stopped.png') });
    } finally {
      await app.close();
    }
  });
});
