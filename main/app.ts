/**
 * The Electron shell: the only main-process file that imports 'electron'. It owns the window, the
 * CSP, the app:// protocol and the IPC relay; the core runs in its own thread (host/core-host/, as in
 * browser mode), so nothing the core does can freeze the window.
 */
import path from 'node:path';
import fs from 'node:fs';
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './common/csp';
import { IPC_CHANNEL } from './common/rpc/protocol';
import { startCoreHost } from './host/core-host/core-host';
import { rendererDir } from './host/locations';
import { dropDevOnlyEnv, isAppPageUrl } from './host/packaged-env';
import { fileUnder } from './host/request-path';
import { windowOptions } from './host/window-options';

const SCHEME = 'app';
const APP_HOST = 'glyphlab';
const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
// An installed app takes no code or page from its environment (worker scripts, SQLite binding, dev URL).
if (app.isPackaged) dropDevOnlyEnv(process.env);
const DEV_URL = process.env.GLYPHLAB_DEV_URL; // the Vite dev server, in development only

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function isAppUrl(url: string): boolean {
  return isAppPageUrl(url, APP_HOST, DEV_URL);
}

function serveRendererProtocol(): void {
  const root = rendererDir();
  protocol.handle(SCHEME, async (request) => {
    try {
      const file = fileUnder(root, request.url);
      if (file === null) return new Response('Bad request', { status: 400 });
      if (file === 'outside' || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
      const res = await net.fetch(pathToFileURL(file).href);
      const headers = new Headers(res.headers);
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      return new Response(res.body, { status: res.status, headers });
    } catch {
      return new Response('Bad request', { status: 400 }); // no request may end the app
    }
  });
}

function lockDown(win: BrowserWindow): void {
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  serveRendererProtocol();
  // A damaged database opens in recovery mode: the UI then offers its backups (RecoveryView).
  const host = await startCoreHost({ dataDir: app.getPath('userData') });

  const win = new BrowserWindow(windowOptions());
  lockDown(win);
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Frames cross as JSON text both ways (the preload parses and writes it): this thread only relays them.
  const conn = host.connect(
    (frame) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_CHANNEL, frame);
    },
    { json: true },
  );
  ipcMain.on(IPC_CHANNEL, (event, msg: unknown) => {
    // Only the app's own top frame may talk to the core.
    const frame = event.senderFrame;
    if (event.sender !== win.webContents || !frame || frame.parent !== null || !isAppUrl(frame.url)) return;
    void conn.onMessage(msg);
  });

  win.once('ready-to-show', () => win.show());
  await win.loadURL(DEV_URL ?? `${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', async () => {
    conn.close();
    await host.close();
    app.quit();
  });
}

void main();
