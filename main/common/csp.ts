/**
 * The renderer's Content-Security-Policy, for both Electron (custom protocol) and browser mode.
 * No remote origins: scripts and styles from the app itself; images also from blob:/data: URLs
 * (thumbnails, pages); connections only to the app itself (the bridge's WebSocket in browser mode).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
