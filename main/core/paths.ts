import os from 'node:os';
import path from 'node:path';

/** Where glyphlab keeps its data by default: the same folder Electron uses as userData. */
export function defaultDataDir(): string {
  if (process.env.GLYPHLAB_DATA_DIR) return path.resolve(process.env.GLYPHLAB_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'glyphlab');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'glyphlab');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'glyphlab');
  }
}
