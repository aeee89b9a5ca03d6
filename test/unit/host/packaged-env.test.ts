import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_ONLY_ENV, dropDevOnlyEnv, isAppPageUrl } from '../../../main/host/packaged-env';

describe('what a packaged app takes from outside', () => {
  it('drops the variables that load code or a page, and keeps the others', () => {
    const env: NodeJS.ProcessEnv = { GLYPHLAB_DATA_DIR: '/d', PATH: '/bin' };
    for (const k of DEV_ONLY_ENV) env[k] = `/tmp/evil-${k}`;
    expect(dropDevOnlyEnv(env).sort()).toEqual([...DEV_ONLY_ENV].sort());
    expect(env).toEqual({ GLYPHLAB_DATA_DIR: '/d', PATH: '/bin' });
    expect(DEV_ONLY_ENV).toEqual(expect.arrayContaining(['GLYPHLAB_DEV_URL', 'GLYPHLAB_TRAIN_WORKER', 'GLYPHLAB_IMPORT_WORKER', 'GLYPHLAB_REPLICA_WORKER', 'GLYPHLAB_SQLITE_BINDING']));
  });

  it('accepts the app protocol and exactly the dev server origin, not a prefix of it', () => {
    const dev = 'http://localhost:5173';
    expect(isAppPageUrl('app://glyphlab/index.html', 'glyphlab', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/#/dataset', 'glyphlab', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/', 'glyphlab', 'http://localhost:5173/index.html')).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.com/',
      'http://localhost:51734/',
      'http://localhost:5173@evil.com/',
      'https://localhost:5173/',
      'app://glyphlab.evil/',
      'app://evil/glyphlab',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(isAppPageUrl(url, 'glyphlab', dev), url).toBe(false);
    }
    expect(isAppPageUrl('http://localhost:5173/', 'glyphlab', undefined)).toBe(false);
  });

  const assets = path.resolve('dist/renderer/assets');
  it.skipIf(!fs.existsSync(assets))('the built renderer does not let ?bridge= choose where the token goes (dev server only)', () => {
    const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(assets, f), 'utf8'));
    expect(js.length).toBeGreaterThan(0);
    expect(js.some((s) => /\.get\(\s*["']bridge["']\s*\)/.test(s))).toBe(false);
  });
});
