import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../main/core/imaging/png';
import { runDriver } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';
import { writeIdx } from './support/idx';

/**
 * Preloaded (`--require`) into the core's process, and so into its worker threads: every way out of
 * the machine — a socket connect to a non-loopback host, a UDP socket, a DNS lookup of a remote name,
 * fetch of a remote URL — is written to GLYPHLAB_NET_LOG and refused.
 */
const GUARD = String.raw`
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');
const { threadId } = require('node:worker_threads');
const LOG = process.env.GLYPHLAB_NET_LOG;
const local = (h) => h === undefined || h === null || h === '' || h === 'localhost' || /^127\./.test(h) || h === '::1' || h === '::ffff:127.0.0.1';
function refuse(kind, target) {
  const where = (new Error().stack || '').split('\n').slice(2, 7).map((s) => s.trim()).join(' < ');
  fs.appendFileSync(LOG, JSON.stringify({ kind, target, thread: threadId, where }) + '\n');
  return new Error('glyphlab test: network access refused (' + kind + ' ' + target + ')');
}
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let a = args[0];
  if (Array.isArray(a)) a = a[0];
  let host, port, ipc;
  if (a && typeof a === 'object') ({ host, port, path: ipc } = a);
  else if (typeof a === 'string' && !/^\d+$/.test(a)) ipc = a;
  else { port = a; host = typeof args[1] === 'string' ? args[1] : undefined; }
  if (ipc === undefined && !local(host)) throw refuse('connect', host + ':' + port);
  return connect.apply(this, args);
};
for (const mod of [dns, dns.promises]) {
  for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    const orig = mod[fn];
    if (typeof orig !== 'function') continue;
    mod[fn] = function (host, ...rest) {
      if (!local(host)) throw refuse('dns.' + fn, host);
      return orig.call(this, host, ...rest);
    };
  }
}
const createSocket = dgram.createSocket;
dgram.createSocket = function (...args) {
  throw refuse('udp', JSON.stringify(args[0]));
};
if (typeof globalThis.fetch === 'function') {
  const f = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    const url = new URL(typeof input === 'string' ? input : input.url ?? String(input));
    if (/^(https?|wss?|ftp):$/.test(url.protocol) && !local(url.hostname.replace(/^\[|\]$/g, ''))) {
      return Promise.reject(refuse('fetch', url.href));
    }
    return f.call(this, input, init);
  };
}
`;

interface NetEvent {
  kind: string;
  target: string;
  thread: number;
  where: string;
}

describe('no network access at run time', () => {
  let work: ReturnType<typeof tmpDir>;
  let guard: string;
  beforeAll(() => {
    work = tmpDir('glyphlab-no-network-');
    guard = path.join(work.dir, 'net-guard.cjs');
    fs.writeFileSync(guard, GUARD);
  });
  afterAll(() => work.cleanup());

  async function guarded(op: string, args: Record<string, unknown>, name: string) {
    const log = path.join(work.dir, `${name}.log`);
    fs.writeFileSync(log, '');
    const run = await runDriver(op, args, { nodeArgs: ['--require', guard], env: { GLYPHLAB_NET_LOG: log }, timeoutMs: 300_000 });
    const events = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as NetEvent);
    return { run, events };
  }

  it('the guard sees and refuses what reaching out would do (control)', async () => {
    const { run, events } = await guarded(
      'net-probe',
      { dataDir: path.join(work.dir, 'probe'), urls: ['http://192.0.2.1/model.json', 'https://example.invalid/weights.bin', 'http://127.0.0.1:9/'], workerUrl: 'http://192.0.2.2/x' },
      'probe',
    );
    expect(run.lines.find((l) => l.ev === 'exit'), run.stderr.slice(-1000)).toBeDefined();
    expect(events.map((e) => `${e.kind} ${e.target}`)).toEqual([
      'fetch http://192.0.2.1/model.json',
      'fetch https://example.invalid/weights.bin',
      'connect 192.0.2.3:80',
      'fetch http://192.0.2.2/x',
    ]);
    expect(events.at(-1)?.thread).toBeGreaterThan(0); // seen in the worker thread too
    // Loopback is allowed (the bridge): connection refused on port 9, not by the guard.
    expect(run.lines.find((l) => l.url === 'http://127.0.0.1:9/')?.error).not.toMatch(/refused \(/);
  }, 120_000);

  it('import, training (worker thread), evaluation, prediction, OCR and backup open no non-loopback socket', async () => {
    const { images } = writeIdx(work.dir, 240, { classes: 6 });
    // A page of dark bars on white for the OCR step.
    const w = 240;
    const h = 80;
    const px = new Uint8Array(w * h).fill(255);
    for (let c = 0; c < 6; c++) for (let y = 20; y < 60; y++) for (let x = 20 + c * 36; x < 26 + c * 36 + (c % 3) * 4; x++) px[y * w + x] = 0;
    const page = path.join(work.dir, 'page one.png');
    fs.writeFileSync(page, encodeGrayPng(px, w, h));
    const config = {
      epochs: 1,
      batchSize: 32,
      inputSize: 16,
      patience: 0,
      augment: { enabled: false },
      model: { filters: [4], dense: [8], dropout: 0 },
      backend: 'cpu',
    };
    const { run, events } = await guarded('tour', { dataDir: path.join(work.dir, 'tour'), paths: [images], pages: [page], config }, 'tour');
    const steps = run.lines.filter((l) => l.ev === 'step');
    console.log(`no network: ${steps.map((s) => `${s.step}${s.status ? ` ${s.status}` : ''}`).join(', ')}; ${events.length} network attempts`);
    expect(events, JSON.stringify(events, null, 1)).toEqual([]);
    expect(run.lines.find((l) => l.ev === 'error'), run.stderr.slice(-2000)).toBeUndefined();
    expect(steps.map((s) => s.step)).toEqual(['app.info', 'import', 'train', 'evaluate', 'predict', 'ocr', 'backup']);
    for (const s of steps) if (s.status !== undefined) expect(s.status, `${s.step}: ${JSON.stringify(s.error)}`).toBe('done');
    expect(steps.find((s) => s.step === 'ocr')?.pages).toBe(1);
  }, 300_000);
});
