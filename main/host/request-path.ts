import path from 'node:path';

/**
 * Parsing of request targets from outside (the bridge's HTTP and upgrade requests, the app:// protocol).
 * Never throws: whatever cannot be parsed (a bad percent-escape, a NUL, an invalid host) gives null, and
 * the caller answers 400.
 */

/** The request target as a URL against `base`; null when it is not a valid URL. */
export function parseTarget(target: string | undefined, base: string): URL | null {
  try {
    return new URL(target ?? '/', base);
  } catch {
    return null;
  }
}

/** A URL's path, percent-decoded; null on a bad escape or a decoded NUL (no file name holds one). */
export function decodedPath(url: URL): string | null {
  let p: string;
  try {
    p = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return p.includes('\0') ? null : p;
}

/**
 * The file under `root` that a request target names ('/' is index.html): null when the target cannot be
 * parsed (answer 400), 'outside' when it resolves outside the root (403).
 */
export function fileUnder(root: string, target: string | undefined): string | null | 'outside' {
  const url = parseTarget(target, 'http://x');
  const decoded = url ? decodedPath(url) : null;
  if (decoded === null) return null;
  const rel = decoded === '/' || decoded === '' ? '/index.html' : decoded;
  const file = path.resolve(root, `.${rel}`);
  return file.startsWith(path.resolve(root) + path.sep) ? file : 'outside';
}
