/**
 * What an installed (packaged) app must not take from its environment: variables that make it load code
 * or a page from a path or a URL. They exist for development (the Vite dev server, `npm start` from a
 * checkout) and tests; in a packaged build they are removed before anything reads them.
 */
export const DEV_ONLY_ENV = ['GLYPHLAB_DEV_URL', 'GLYPHLAB_TRAIN_WORKER', 'GLYPHLAB_IMPORT_WORKER', 'GLYPHLAB_REPLICA_WORKER', 'GLYPHLAB_CORE_HOST_WORKER', 'GLYPHLAB_SQLITE_BINDING'] as const;

/** Removes DEV_ONLY_ENV from `env`; returns the names that were set. */
export function dropDevOnlyEnv(env: NodeJS.ProcessEnv): string[] {
  const dropped = DEV_ONLY_ENV.filter((k) => env[k] !== undefined);
  for (const k of dropped) delete env[k];
  return dropped;
}

/**
 * Whether a URL is one of the app's own pages: the `app://<host>/` protocol, or in development exactly
 * the dev server's origin (scheme, host and port compared whole: `http://localhost:5173.evil.com` is not
 * `http://localhost:5173`).
 */
export function isAppPageUrl(url: string, appHost: string, devUrl?: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'app:' && u.host === appHost) return true;
  const dev = devUrl ? parse(devUrl) : null;
  return dev !== null && dev.origin !== 'null' && u.origin === dev.origin;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
