import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { requests } from '../../main/common/contract';
import { startBridge, type Bridge } from '../../main/host/bridge';
import { PATH_FIELDS } from '../../main/host/path-policy';
import { tmpCore, tmpDir } from '../helpers/tmp';
import { glyphPng } from './support/fixtures';
import { collect, type Res } from './support/ws-client';

describe('browser mode: files only inside the folders the person allowed', () => {
  let app: ReturnType<typeof tmpCore>;
  let work: ReturnType<typeof tmpDir>;
  let bridge: Bridge;
  let ws: WebSocket;
  let allowed: string;
  let outside: string;
  let id = 0;
  const call = async (method: string, params: unknown): Promise<Res> => {
    const reply = collect(ws, 1);
    ws.send(JSON.stringify({ t: 'req', id: ++id, method, params }));
    const [r] = await reply;
    ws.removeAllListeners('message');
    return r!;
  };

  beforeAll(async () => {
    app = tmpCore();
    work = tmpDir('glyphlab-paths-');
    allowed = path.join(work.dir, 'allowed');
    outside = path.join(work.dir, 'outside');
    fs.mkdirSync(allowed);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(allowed, 'a.png'), await glyphPng(28, 28));
    fs.writeFileSync(path.join(outside, 'secret.png'), await glyphPng(28, 28, 1));
    fs.symlinkSync(outside, path.join(allowed, 'link-out'));
    bridge = await startBridge(app.core, { allowedDirs: [allowed] });
    ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`);
    await new Promise((r) => ws.once('open', r));
  });
  afterAll(async () => {
    ws.close();
    await bridge.close();
    await app.close();
    work.cleanup();
  });

  it('refuses reads and writes outside them, through .. and symlinks too, and runs what is inside', async () => {
    const refused = [
      ['dataset.import', { paths: ['/etc/passwd'] }],
      ['dataset.import', { paths: [path.join(allowed, '..', 'outside', 'secret.png')] }],
      ['dataset.import', { paths: [path.join(allowed, 'link-out', 'secret.png')] }],
      ['dataset.export', { format: 'csv', out: path.join(outside, 'dump.csv') }],
      ['dataset.export', { format: 'folder', out: path.join(allowed, 'link-out', 'tree') }],
      ['ocr.run', { paths: [path.join(allowed, 'a.png')], model: outside }],
      ['models.import', { dir: outside }],
      ['models.export', { id: 1, out: '/tmp/x' }],
      ['training.start', { config: { initFrom: outside } }],
      ['learn.transcript', { path: '/etc/hostname', text: 'A' }],
    ] as const;
    for (const [method, params] of refused) {
      const r = await call(method, params);
      expect(r.ok, `${method} ${JSON.stringify(params)}`).toBe(false);
      expect(r.error, method).toMatchObject({ type: 'unauthorized', message: expect.stringContaining('--allow-dir') });
    }
    expect(fs.readdirSync(outside)).toEqual(['secret.png']);
    const ok = await call('dataset.import', { paths: [path.join(allowed, 'a.png')] });
    expect(ok.ok).toBe(true);
    const exp = await call('dataset.export', { format: 'csv', out: path.join(allowed, 'new', 'out.csv') });
    expect(exp.ok).toBe(true);
  });

  it('knows every path-like field of the contract (a new one must be added to PATH_FIELDS)', () => {
    const PATHY = /^(path|paths|out|dir|model|initFrom|file|folder)$/;
    // Names only, never opened: a document's name in samples and exports.
    const NOT_PATHS = new Set(['ocr.correct.source', 'learn.transcript.source', 'ocr.export.document.file']);
    const found: string[] = [];
    const walk = (method: string, schema: z.ZodType, prefix: string, depth: number) => {
      let s = schema as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType }; shape?: Record<string, z.ZodType> };
      for (let i = 0; i < 10 && s.def.type !== 'object' && (s.def.innerType ?? s.def.in ?? s.def.schema); i++) {
        s = (s.def.innerType ?? s.def.in ?? s.def.schema) as unknown as typeof s;
      }
      if (s.def.type !== 'object' || !s.shape || depth > 3) return;
      for (const [k, v] of Object.entries(s.shape)) {
        if (PATHY.test(k) && !NOT_PATHS.has(`${method}.${prefix}${k}`)) found.push(method);
        walk(method, v, `${prefix}${k}.`, depth + 1);
      }
    };
    for (const [method, def] of Object.entries(requests)) walk(method, (def as { input: z.ZodType }).input, '', 0);
    expect(found.length).toBeGreaterThan(5);
    expect([...new Set(found)].filter((m) => !(m in PATH_FIELDS))).toEqual([]);
  });
});
