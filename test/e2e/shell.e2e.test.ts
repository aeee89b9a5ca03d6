import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';

const skip = browserSkipReason();
if (skip) console.log(`[shell e2e] skipped: ${skip}`);

describe.skipIf(skip !== null)('app shell in Chromium over the bridge', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the views, the database and the backend the core reports', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      const info = await app.call('app.info', {});
      await page.getByTestId('backend-name').waitFor();
      expect(await page.getByTestId('backend-name').textContent()).toBe(info.backend.name);
      expect(await page.getByTestId('db-path').textContent()).toBe(info.dbPath);
      for (const view of ['Dataset', 'Training', 'Models', 'Document']) {
        await page.getByRole('button', { name: view, exact: true }).click();
        await page.getByRole('heading', { name: view, level: 1 }).waitFor();
      }
      await page.getByRole('button', { name: 'Dataset', exact: true }).click();
      expect(await page.getByText('Browser mode').count()).toBe(1);
      // The token left the address bar once read.
      expect(page.url()).not.toContain('token');
      await page.screenshot({ path: screenshotPath('shell.png') });
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('says clearly when it has no token', async () => {
    const app = await openApp({ browser });
    try {
      const page = await app.page.context().newPage();
      await page.goto(app.bridge.url);
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('No access token');
    } finally {
      await app.close();
    }
  });
});
