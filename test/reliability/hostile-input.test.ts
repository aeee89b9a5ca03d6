import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../main/common/contract';
import { LONG, runDriver } from '../helpers/crash-harness';
import { makeUntrainedModel } from '../helpers/model-fixture';
import { tmpCore, tmpDir } from '../helpers/tmp';
import { MALFORMED_REQUESTS, fill, rawRequest } from './support/raw-http';
import { startServeProcess } from './support/serve-process';
import { runHostile } from './support/hostile-process';
import { csvRow, glyphJpeg, glyphPng, grayPngBomb, idxImages, tiffBomb, idxLabels, pngBomb, tiffPages, write } from './support/fixtures';

type Expect = RegExp | 'imported' | 'either';

/** Imports through the contract and waits for the job's summary. */
async function importPaths(app: ReturnType<typeof tmpCore>, paths: string[]): Promise<ImportSummary> {
  let id = '';
  const seen = new Map<string, { status: string; result?: unknown; error?: unknown }>();
  let wake = () => {};
  const off = app.core.onEvent((name, p) => {
    if (name !== 'job.finished') return;
    const f = p as { id: string; status: string; result?: unknown; error?: unknown };
    seen.set(f.id, f);
    wake();
  });
  id = (await app.call('dataset.import', { paths })).jobId;
  while (!seen.has(id)) await new Promise<void>((r) => (wake = () => r()));
  off();
  const fin = seen.get(id)!;
  if (fin.status !== 'done') throw new Error(`import ${fin.status}: ${JSON.stringify(fin.error)}`);
  return fin.result as ImportSummary;
}

describe('hostile input', () => {
  let work: ReturnType<typeof tmpDir>;
  const corpus: { file: string; expect: Expect; valid: number }[] = [];
  beforeAll(async () => {
    work = tmpDir('glyphlab-hostile-');
    const d = work.dir;
    const add = (rel: string, data: Buffer | string, expect: Expect, valid = 0) => corpus.push({ file: write(d, rel, data), expect, valid });
    const png = await glyphPng(64, 64);
    const jpg = await glyphJpeg();
    add('empty.png', Buffer.alloc(0), /empty/);
    add('cut.png', png.subarray(0, Math.floor(png.length / 2)), /truncated|corrupt/);
    add('cut.jpg', jpg.subarray(0, Math.floor(jpg.length * 0.4)), /truncated|corrupt|decode/);
    add('jpeg named.png', jpg, 'imported', 1);
    add('notes.png', 'these are my notes, not an image\n', /not an image/);
    add('bomb.png', pngBomb(20_000, 20_000), /too large|megapixels/);
    add('pages.tiff', tiffPages(2000), 'either');
    add('loop.tiff', tiffPages(3, true), 'either');
    // 500 pages of 7900x7900 sharing one deflated strip: ~110 kB asking for 31 G pixels (each page under the 80 MP cap).
    add('pages-bomb.tiff', tiffBomb(Array.from({ length: 500 }, () => ({ width: 7900, height: 7900 }))), /too large|megapixels|too many/);
    add('wrongmagic-images-idx3-ubyte', idxImages(5, 28, { magic: 0x0903 }), /wrong magic/);
    add('short-images-idx3-ubyte', idxImages(50, 28, { declared: 100, cutBytes: 0 }).subarray(0, 16 + 30 * 784 + 100), /cut short: holds 30 of 100/, 30);
    add('disagree-images-idx3-ubyte', idxImages(20), /holds 20 images but .*15 labels/);
    write(d, 'disagree-labels-idx1-ubyte', idxLabels(Array.from({ length: 15 }, (_, i) => i % 10)));
    add('badlabel-images-idx3-ubyte', idxImages(5), /class/, 3);
    write(d, 'badlabel-labels-idx1-ubyte', idxLabels([1, 2, 200, 3, 250]));
    add('missing columns.csv', `${csvRow(1, 1)}\n1,0,0,0,255\n`, /column|value|pixel/i, 1);
    add('nonnumeric.csv', `${csvRow(2, 2)}\n${csvRow(2, 3, (k) => (k === 40 ? 'abc' : 0))}\n`, /number|numeric|value|pixel/i, 1);
    add('range.csv', `${csvRow(3, 4)}\n${csvRow(3, 5, (k) => (k === 3 ? 300 : k === 4 ? -5 : 0))}\n`, /range|0-255|value|pixel/i, 1);
    add('long-row.csv', `${csvRow(1, 11)}\n2,${'0,'.repeat(8 * 1024 * 1024)}0\n${csvRow(3, 12)}\n`, /row 2: longer than/, 2); // a 16 MiB row
    add('wide.csv', `1,${'0,'.repeat(300 * 300 - 1)}0\n`, /90001 columns/);
    add('escapes.csv', `${csvRow(5, 13)}\n${csvRow(6, 14, (k) => (k === 5 ? `\u001b[2J${'y'.repeat(5000)}` : 0))}\n`, /'\\u001b\[2Jy{12}…' is not a number/, 1);
    add('labels.csv', `${csvRow(4, 6)}\n${csvRow('@', 7)}\n${csvRow(99, 8)}\n`, /class/, 1);
    add('dossier été/ñ 字 A.png', await glyphPng(28, 28, 1), 'imported', 1);
    add('good.png', await glyphPng(40, 40, 2), 'imported', 1);
  }, 60_000);
  afterAll(() => work.cleanup());

  it('gives each bad file a clear error naming it and the reason, and imports the rest', async () => {
    const app = tmpCore();
    try {
      const summary = await importPaths(app, corpus.map((c) => c.file));
      const lines: string[] = [];
      for (const c of corpus) {
        const base = path.basename(c.file);
        const errs = summary.errors.filter((e) => e.file.includes(base));
        lines.push(`${base}: ${errs.map((e) => e.reason).join(' | ') || 'imported'}`);
        if (c.expect instanceof RegExp) {
          expect(errs.length, `${base} has no error`).toBeGreaterThan(0);
          expect(errs.map((e) => e.reason).join(' | '), base).toMatch(c.expect);
        } else if (c.expect === 'imported') {
          expect(errs, base).toEqual([]);
        }
      }
      console.log(`hostile corpus (${corpus.length} files):\n  ${lines.join('\n  ')}`);
      const valid = corpus.reduce((a, c) => a + c.valid, 0);
      expect(summary.imported + summary.duplicates).toBeGreaterThanOrEqual(valid);
      // Unicode and spaces in paths survive as the sample's source.
      const stats = await app.call('dataset.stats', {});
      expect(stats.total).toBe(summary.imported);
      const { rows } = await app.call('dataset.query', { filter: { source: 'dossier été' }, thumbs: false });
      expect(rows).toHaveLength(1);
    } finally {
      await app.close();
    }
  }, 120_000);


  it('gives each bad image a typed error naming the file when read as a document (ocr.run)', async () => {
    const app = tmpCore();
    const lines: string[] = [];
    try {
      const model = await makeUntrainedModel(path.join(app.dir, 'model'));
      // The 2000-page TIFF takes a minute to read (the reader stops at its page cap): long runs only.
      const fifo = path.join(work.dir, 'fifo.png');
      execFileSync('mkfifo', [fifo]);
      // Not regular files: a device that never ends, a FIFO that blocks its reader.
      const specials = ['/dev/zero', fifo].map((file) => ({ file, expect: /not a regular file/ as Expect, valid: 0 }));
      const files = [...corpus.filter((x) => /\.(png|jpe?g|tiff?)$/i.test(x.file) && (LONG || !x.file.endsWith('/pages.tiff'))), ...specials];
      for (const c of files) {
        const base = path.basename(c.file);
        let answer: string;
        try {
          const r = await app.call('ocr.run', { paths: [c.file], model });
          const pages = r.documents[0]?.pages.length ?? 0;
          answer = `read (${pages} pages)`;
          // Files the importer refuses as broken must not be read as documents either.
          if (c.expect instanceof RegExp) expect.fail(`${base}: read although it is broken`);
          if (base === 'pages.tiff') expect(pages).toBeLessThan(2000); // the page count is capped
        } catch (e) {
          const err = e as { type?: string; message?: string };
          answer = `${err.type}: ${err.message}`;
          expect(err.type, `${base}: ${err.message}`).toMatch(/^(bad_input|unsupported)$/);
          expect(err.message).toContain(base);
          if (/^cut\./.test(base)) expect(err.message).toMatch(/truncated/);
          if (c.expect instanceof RegExp) expect(err.message).toMatch(c.expect);
        }
        lines.push(`${base}: ${answer}`);
      }
    } finally {
      console.log(`hostile documents (ocr.run):\n  ${lines.join('\n  ')}`);
      await app.close();
    }
  }, 300_000);

  const rss = async (file: string) => {
    const dataDir = path.join(work.dir, `rss-${path.basename(file)}`);
    const run = await runDriver('import', { dataDir, paths: [file] }, { timeoutMs: 180_000 });
    const exit = run.lines.find((l) => l.ev === 'exit');
    expect(exit, run.stderr.slice(-1000)).toBeDefined();
    return { mb: Number(exit!.maxRSS) / 1024, finished: run.lines.find((l) => l.ev === 'finished') };
  };
  let baselineMb = 0;

  it('keeps memory bounded while refusing a 20000x20000 PNG bomb (child process, peak RSS)', async () => {
    const bomb = corpus.find((c) => c.file.endsWith('bomb.png'))!.file;
    const good = corpus.find((c) => c.file.endsWith('good.png'))!.file;
    const base = await rss(good);
    const png = await rss(bomb);
    baselineMb = base.mb;
    console.log(`peak RSS: baseline import ${base.mb.toFixed(0)} MB; 20000x20000 PNG bomb (${(fs.statSync(bomb).size / 1024).toFixed(0)} kB) ${png.mb.toFixed(0)} MB`);
    expect(JSON.stringify(png.finished)).toMatch(/too large|megapixels/);
    expect(png.mb - base.mb).toBeLessThan(150);
  }, 300_000);

  // readIdx inflates at most what the IDX header announces (zlib maxOutputLength), so a small .gz that
  // would inflate to 256 MiB (1 GiB with GLYPHLAB_LONG_TESTS=1) behind a one-image header stays small.
  const GZ_MIB = LONG ? 1024 : 256;
  it(`keeps memory bounded on an IDX gzip bomb (→ ${GZ_MIB} MiB, header says 1 image)`, async () => {
    const gzBomb = path.join(work.dir, 'gzbomb-images-idx3-ubyte.gz');
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x0803, 0);
    header.writeUInt32BE(1, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    const gz = zlib.createGzip({ level: 9 });
    const out = fs.createWriteStream(gzBomb);
    gz.pipe(out);
    gz.write(header);
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < GZ_MIB / 16; i++) gz.write(zeros);
    gz.end();
    await new Promise<void>((r) => out.on('finish', () => r()));
    const idx = await rss(gzBomb);
    console.log(`peak RSS: IDX gzip bomb (${(fs.statSync(gzBomb).size / 1024).toFixed(0)} kB → ${GZ_MIB} MiB) ${idx.mb.toFixed(0)} MB (baseline ${baselineMb.toFixed(0)} MB)`);
    expect(idx.finished).toBeDefined();
    expect(idx.mb - (baselineMb || 114)).toBeLessThan(150);
  }, 300_000);

  it('keeps the browser-mode server alive through malformed requests, each answered 400 (own process)', async () => {
    const server = await startServeProcess(path.join(work.dir, 'serve'));
    const statuses = new Map<number | null, number>();
    let sent = 0;
    try {
      for (let round = 0; round < 20; round++) {
        for (const req of MALFORMED_REQUESTS) {
          const status = await rawRequest(server.port, fill(req, server.port, server.token));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          sent++;
        }
      }
      expect(server.child.exitCode, 'the server exited').toBeNull();
      expect(await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe(200);
    } finally {
      const exited = await server.stop();
      console.log(`browser-mode server: ${sent} malformed requests, answers ${JSON.stringify(Object.fromEntries(statuses))}, still alive: ${exited === null}`);
    }
    expect([...statuses.keys()]).toEqual([400]);
  }, 120_000);

  it('refuses a 20000x20000 PNG bomb sent as an OCR correction from its header (own process, peak RSS)', async () => {
    const bomb = write(work.dir, 'crop-bomb.png', await grayPngBomb(20_000, 20_000));
    const good = write(work.dir, 'crop-good.png', await grayPngBomb(28, 28));
    const base = await runHostile('correct', good, path.join(work.dir, 'correct-base'));
    const run = await runHostile('correct', bomb, path.join(work.dir, 'correct-bomb'));
    console.log(`peak RSS: ocr.correct of a 28x28 crop ${base.maxRSSMB} MB; of a 20000x20000 PNG bomb (${(fs.statSync(bomb).size / 1024).toFixed(0)} kB) ${run.maxRSSMB} MB, ${run.ms} ms: ${run.error}`);
    expect(base.ok, base.error).toBe(true);
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/crop-bomb\.png: .*too large/);
    expect(run.maxRSSMB - base.maxRSSMB).toBeLessThan(50);
  }, 300_000);

  it('refuses a multi-page TIFF bomb from its metadata, before decoding a page (own process, peak RSS)', async () => {
    const bomb = corpus.find((c) => c.file.endsWith('pages-bomb.tiff'))!.file;
    const good = corpus.find((c) => c.file.endsWith('good.png'))!.file;
    const base = await runHostile('load-pages', good, work.dir);
    const run = await runHostile('load-pages', bomb, work.dir);
    console.log(`peak RSS: OCR page loader on a 40x40 PNG ${base.maxRSSMB} MB; on a 500-page TIFF bomb (${(fs.statSync(bomb).size / 1024).toFixed(0)} kB, 31.2 G pixels) ${run.maxRSSMB} MB, ${run.ms} ms: ${run.error}`);
    expect(base.ok, base.error).toBe(true);
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/pages-bomb\.tiff: 500 pages of .* too many/);
    expect(run.maxRSSMB - base.maxRSSMB).toBeLessThan(50);
  }, 300_000);
});
