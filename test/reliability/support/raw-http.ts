import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * Requests a browser or an HTTP client library would never send: bad percent-escapes, NULs, invalid
 * hosts in the request target, upgrades to bad targets, broken request lines. `{port}` and `{token}`
 * are filled in.
 */
export const MALFORMED_REQUESTS: string[] = [
  'GET /% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /assets/%C0%AF..%C0%AF HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET /index.html%00.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'GET //a%20b:99999/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  'HEAD /%ff%fe%fd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
  `GET http://[::1/rpc?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgradeHeaders()}\r\n`,
  `GET //bad host:1/rpc?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgradeHeaders()}\r\n`,
  `GET //x:99999/rpc?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgradeHeaders()}\r\n`,
  'GARBAGE\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nX: ${'b'.repeat(20_000)}\r\n\r\n`,
];

function upgradeHeaders(): string {
  return `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n`;
}

/** Sends raw bytes and resolves with the status code of the answer (null: closed without one). */
export function rawRequest(port: number, text: string, timeoutMs = 5000): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      resolve(m ? Number(m[1]) : null);
    };
    const timer = setTimeout(done, timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.includes('\r\n\r\n')) done();
    });
    sock.on('error', done);
    sock.on('close', done);
    sock.write(text);
  });
}

export function fill(template: string, port: number, token: string): string {
  return template.replaceAll('{port}', String(port)).replaceAll('{token}', token);
}
