import path from 'node:path';
import { appRoot } from './locations';

/**
 * The app window's options (Electron's BrowserWindowConstructorOptions, as plain data so that it can
 * be tested without Electron): an isolated, sandboxed renderer with no Node.
 */
export function windowOptions() {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'glyphlab',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: path.join(appRoot(), 'dist', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  } as const;
}
