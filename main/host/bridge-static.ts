import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../common/csp';
import { fileUnder } from './request-path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Ends a response with a status and a short plain-text reason (never echoing the request). */
export function answer(res: http.ServerResponse, status: number, text = ''): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(text);
}

/** Serves the built renderer: 400 for what cannot be parsed, 403 outside the root, 404 for what is not there. */
export function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = fileUnder(root, req.url);
  if (file === null) return answer(res, 400, 'Bad request');
  if (file === 'outside') return answer(res, 403);
  fs.readFile(file, (err, data) => {
    if (err) return answer(res, 404, 'Not found');
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    res.end(data);
  });
}
