import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, openCoreOrRecovery } from '../../main/core';
import { startBridge } from '../../main/host/bridge';
import { rendererDir } from '../../main/host/locations';
import { browserSkipReason, launchChromium, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';
import { checkpoint, corruptMiddle, countRows, hashFile, seedSamples } from './support/db';

const skip = browserSkipReason();
if (skip) console.log(`[recovery view] skipped: ${skip}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The app in browser mode on an existing data folder, opened as the app opens it (recovery if damaged). */
async function openOn(browser: Browser, dataDir: string): Promise<Page> {
  const { core } = openCoreOrRecovery({ dataDir });
  cleanups.push(() => core.close());
  const bridge = await startBridge(core, { staticDir: rendererDir() });
  cleanups.push(() => bridge.close());
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(bridge.pageUrl);
  return page;
}

describe.skipIf(skip !== null)('recovery in the UI (browser mode)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a damaged database opens the recovery view: salvage, then restore a backup, and the app comes back', async () => {
    const t = tmpDir('glyphlab-recovery-ui-');
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir });
    const db = new Database(core.dbPath);
    seedSamples(db, 1500, { imageBytes: 500 });
    await core.handlers['backup.create']({}, { signal: new AbortController().signal });
    checkpoint(db);
    db.close();
    await core.close();
    const file = path.join(t.dir, 'glyphlab.db');
    corruptMiddle(file);
    const hash = hashFile(file);

    const page = await openOn(browser, t.dir);
    const alert = page.getByRole('alert').filter({ hasText: 'The database is damaged' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(file);
    // Nothing touched the damaged file by opening it.
    expect(hashFile(file)).toBe(hash);

    await page.getByRole('button', { name: 'Salvage readable data' }).click();
    await page.getByText(/Salvaged \d+ rows \(\d+ samples\)/).waitFor();
    const rows = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Restore' }) });
    expect(await rows.count()).toBe(2); // the backup and the salvaged copy
    await page.screenshot({ path: screenshotPath('recovery-damaged.png') });

    // Restore the manual backup (the dialog asks first); the window reloads on the restored database.
    page.once('dialog', (d) => void d.accept());
    await rows.filter({ hasText: 'manual' }).getByRole('button', { name: 'Restore' }).click();
    await alert.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('heading', { name: 'Dataset', level: 1 }).waitFor({ timeout: 30_000 });
    expect(await page.getByText('The database is damaged').count()).toBe(0);
    expect(countRows(file, 'samples')).toBe(1500);
    // The damaged file was kept, unchanged, among the backups.
    const kept = fs.readdirSync(path.join(t.dir, 'backups')).map((n) => hashFile(path.join(t.dir, 'backups', n)));
    expect(kept).toContain(hash);
  }, 120_000);

  it('after a crash during a model save, says what the start-up check found, until dismissed', async () => {
    const t = tmpDir('glyphlab-recovery-ui-');
    cleanups.push(t.cleanup);
    await createCore({ dataDir: t.dir }).close();
    const half = path.join(t.dir, 'models', 'tmp-run-1-1700000000000');
    fs.mkdirSync(half, { recursive: true });
    fs.writeFileSync(path.join(half, 'model.json'), '{');
    const orphan = path.join(t.dir, 'models', '3-my-model');
    fs.mkdirSync(orphan);
    for (const f of ['model.json', 'weights.bin', 'metadata.json']) fs.writeFileSync(path.join(orphan, f), '{}');

    const page = await openOn(browser, t.dir);
    const note = page.getByRole('status').filter({ hasText: 'half-saved model folder' });
    await note.waitFor();
    expect(await note.textContent()).toContain('1 half-saved model folder(s)');
    expect(await note.textContent()).toContain(orphan);
    expect(fs.existsSync(half)).toBe(false);
    expect(fs.existsSync(orphan)).toBe(true);
    // The app itself is there underneath.
    await page.getByRole('heading', { name: 'Dataset', level: 1 }).waitFor();
    await page.screenshot({ path: screenshotPath('recovery-models-note.png') });
    await note.getByRole('button', { name: 'Dismiss' }).click();
    await note.waitFor({ state: 'detached' });
  }, 120_000);
});
