import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../main/common/rpc/protocol';
import { tmpDir } from '../helpers/tmp';

// The packaged app's lock-down, checked without an Electron binary: the fuses the afterPack hook
// flips (run for real on a stand-in binary), the packaging config, the main process's guards and what
// the preload exposes. The Electron e2e test (test/e2e/electron.e2e.test.ts) checks them at run time.

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's fuse defaults (V1, 9 fuses): RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on. */
const DEFAULT_WIRE = '101100011';
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
  'WasmTrapHandlers',
] as const;

/** A stand-in for an Electron binary: noise around the fuse sentinel and a V1 wire in Electron's defaults. */
function fakeElectron(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const noise = Buffer.alloc(64 * 1024, 0x5a);
  fs.writeFileSync(file, Buffer.concat([noise, Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), noise]));
}

function readWire(file: string): Record<(typeof FUSES)[number], 'on' | 'off' | 'removed'> {
  const buf = fs.readFileSync(file);
  const at = buf.indexOf(SENTINEL) + SENTINEL.length;
  expect(buf[at], 'fuse wire version').toBe(1);
  const wire = buf.subarray(at + 2, at + 2 + buf[at + 1]!).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1' ? 'on' : wire[i] === '0' ? 'off' : 'removed'])) as never;
}

describe('packaging: Electron fuses (scripts/after-pack.cjs run on a stand-in binary)', () => {
  const work = tmpDir('glyphlab-fuses-');
  afterAll(() => work.cleanup());
  const afterPack = createRequire(import.meta.url)(path.resolve('scripts/after-pack.cjs')) as {
    default: (ctx: unknown) => Promise<void>;
  };

  for (const [platform, rel] of [
    ['linux', 'linux/glyphlab'],
    ['win32', 'win/glyphlab.exe'],
    ['darwin', 'mac/glyphlab.app/Contents/Frameworks/Electron Framework.framework/Electron Framework'],
  ] as const) {
    it(`turns RunAsNode, NODE_OPTIONS and --inspect off, and asar-only loading with integrity on (${platform})`, async () => {
      const outDir = path.join(work.dir, rel.split('/')[0]!);
      const binary = path.join(work.dir, rel);
      fakeElectron(binary);
      expect(readWire(binary).RunAsNode).toBe('on');
      await afterPack.default({ packager: { appInfo: { productFilename: 'glyphlab' } }, electronPlatformName: platform, appOutDir: outDir });
      expect(readWire(binary)).toMatchObject({
        RunAsNode: 'off',
        EnableCookieEncryption: 'on',
        EnableNodeOptionsEnvironmentVariable: 'off',
        EnableNodeCliInspectArguments: 'off',
        EnableEmbeddedAsarIntegrityValidation: 'on',
        OnlyLoadAppFromAsar: 'on',
        GrantFileProtocolExtraPrivileges: 'off',
      });
    });
  }

  it('is wired into electron-builder, with the app in an asar', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    expect(yml).toMatch(/^afterPack:\s*scripts\/after-pack\.cjs\s*$/m);
    expect(yml).toMatch(/^asar:\s*true\s*$/m);
    // Source maps and sources stay out of the package.
    expect(yml).toMatch(/"!\*\*\/\*\.map"/);
  });
});

describe('main process guards (main/app.ts)', () => {
  const src = fs.readFileSync('main/app.ts', 'utf8');

  it('denies every permission request, webviews, and opens only https links outside the app', () => {
    expect(src).toMatch(/setPermissionRequestHandler\(\([^)]*\)\s*=>\s*callback\(false\)\)/);
    expect(src).toMatch(/on\('will-attach-webview',\s*\(e\)\s*=>\s*e\.preventDefault\(\)\)/);
    expect(src).toMatch(/if \(\/\^https:\\\/\\\/\/\.test\(url\)\) void shell\.openExternal\(url\);\s*return \{ action: 'deny' \}/);
  });

  it('serves the renderer only from its own folder, with the CSP on every response', () => {
    // The target is parsed by host/request-path.ts (never throws: 400), resolved under the root (else 404).
    expect(src).toMatch(/const file = fileUnder\(root, request\.url\);\s*if \(file === null\) return new Response\('Bad request', \{ status: 400 \}\);/);
    expect(src).toMatch(/file === 'outside' \|\| !fs\.existsSync\(file\)\) return new Response\('Not found', \{ status: 404 \}\)/);
    const parsing = fs.readFileSync('main/host/request-path.ts', 'utf8');
    expect(parsing).toMatch(/path\.resolve\(root, `\.\$\{rel\}`\)/);
    expect(parsing).toMatch(/file\.startsWith\(path\.resolve\(root\) \+ path\.sep\) \? file : 'outside'/);
    expect(src).toMatch(/headers\.set\('Content-Security-Policy', CONTENT_SECURITY_POLICY\)/);
  });

  it('relays IPC only from its own window, its top frame, on the app origin, on one channel', () => {
    expect(src).toMatch(/ipcMain\.on\(IPC_CHANNEL,/);
    expect(src).toMatch(/event\.sender !== win\.webContents \|\| !frame \|\| frame\.parent !== null \|\| !isAppUrl\(frame\.url\)\) return;/);
    expect(src.match(/ipcMain\.(on|handle|once)\(/g)).toHaveLength(1);
    // Only the Vite dev server may stand in for app://, only when its URL is set, and only its exact origin.
    expect(src).toMatch(/return isAppPageUrl\(url, APP_HOST, DEV_URL\);/);
    const env = fs.readFileSync('main/host/packaged-env.ts', 'utf8');
    expect(env).toMatch(/return dev !== null && dev\.origin !== 'null' && u\.origin === dev\.origin;/);
  });
});

describe('preload: only the contract reaches the renderer', () => {
  it('exposes one object (call, on, pathForFile) and talks on the contract channel only', async () => {
    const exposed: Record<string, unknown> = {};
    const sent: unknown[][] = [];
    const listened: string[] = [];
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: {
        send: (...a: unknown[]) => sent.push(a),
        on: (channel: string) => listened.push(channel),
        removeListener: () => undefined,
      },
      webUtils: { getPathForFile: () => '/x' },
    }));
    try {
      await import('../../preload/index');
    } finally {
      vi.doUnmock('electron');
    }
    expect(Object.keys(exposed)).toEqual(['glyphlab']);
    const api = exposed.glyphlab as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'pathForFile']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    // A call goes out as one message on the contract's channel; nothing else is sent or listened to.
    void (api.call as (m: string, p: unknown) => Promise<unknown>)('app.info', {}).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((a) => a[0]))).toEqual(new Set([IPC_CHANNEL]));
    expect(new Set(listened)).toEqual(new Set([IPC_CHANNEL]));
  });
});

describe('bridge token check', () => {
  it('compares every candidate token with one constant-time comparison, whatever its length or content', async () => {
    const seen: [Buffer, Buffer][] = [];
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:crypto')>();
      return {
        ...real,
        default: real,
        timingSafeEqual: (a: Buffer, b: Buffer) => {
          seen.push([a, b]);
          return real.timingSafeEqual(a, b);
        },
      };
    });
    try {
      const { tokenMatches } = await import('../../main/host/bridge');
      const token = 'x'.repeat(43);
      const cases: [string, boolean][] = [
        [token, true],
        [`${token.slice(0, 42)}y`, false],
        [`y${token.slice(1)}`, false],
        [token.slice(0, 10), false],
        [`${token}x`, false],
        ['', false],
      ];
      for (const [given, ok] of cases) {
        const before = seen.length;
        expect(tokenMatches(token, given), given).toBe(ok);
        // Exactly one comparison over the full expected length, never a short-circuiting ===.
        expect(seen.length - before, given).toBe(1);
        expect(seen.at(-1)![0].length).toBe(token.length);
      }
    } finally {
      vi.doUnmock('node:crypto');
      vi.resetModules();
    }
  });
});
