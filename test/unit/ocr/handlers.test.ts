import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/host/cli/main';
import { makeUntrainedModel } from '../../helpers/model-fixture';
import { tmpCore, tmpDir } from '../../helpers/tmp';
import { pageSvg, renderPng } from './fixtures';
import { parseXml } from './xml';

const TEXT = ['AB12 CD', 'EFG 345'];

describe('OCR requests and the ocr command', () => {
  const tmp = tmpDir();
  let env: ReturnType<typeof tmpCore>;
  let modelDir: string;
  let pagePath: string;
  let pagePng: Buffer;
  beforeAll(async () => {
    env = tmpCore();
    // An untrained model of the real architecture: these tests are about the plumbing, not accuracy.
    modelDir = await makeUntrainedModel(path.join(tmp.dir, 'model'));
    pagePng = await renderPng(pageSvg({ lines: TEXT }));
    pagePath = path.join(tmp.dir, 'page.png');
    fs.writeFileSync(pagePath, pagePng);
  });
  afterAll(async () => {
    await env.close();
    tmp.cleanup();
  });

  it('ocr.run reads a page from a path: lines, characters with boxes and top-3', async () => {
    const r = await env.call('ocr.run', { paths: [pagePath], model: modelDir });
    expect(r.model.classes).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(r.documents).toHaveLength(1);
    const page = r.documents[0]!.pages[0]!;
    expect(page.lines.map((l) => l.chars.length)).toEqual(TEXT.map((t) => t.replace(/ /g, '').length));
    expect(page.lines.map((l) => l.text.length)).toEqual(TEXT.map((t) => t.length));
    for (const c of page.lines.flatMap((l) => l.chars)) {
      expect(c.alternatives).toHaveLength(3);
      expect(c.box[2]).toBeGreaterThan(0);
    }
  });

  it('ocr.run takes uploads, and names a missing model and an unreadable file', async () => {
    const r = await env.call('ocr.run', { files: [{ name: 'up.png', data: pagePng.toString('base64') }], model: modelDir });
    expect(r.documents[0]!.file).toBe('up.png');
    expect(r.documents[0]!.pages[0]!.lines).toHaveLength(2);
    await expect(env.call('ocr.run', { paths: [pagePath], model: path.join(tmp.dir, 'none') })).rejects.toMatchObject({
      type: 'not_found',
      message: expect.stringContaining('none'),
    });
    const bad = path.join(tmp.dir, 'broken.png');
    fs.writeFileSync(bad, 'nope');
    await expect(env.call('ocr.run', { paths: [bad], model: modelDir })).rejects.toMatchObject({ message: expect.stringContaining('broken.png') });
    await expect(env.call('ocr.run', { model: modelDir } as never)).rejects.toMatchObject({ type: 'validation' });
  });

  it('ocr.start runs as a job whose result is the documents', async () => {
    const finished = new Promise<unknown>((resolve) => {
      const off = env.core.onEvent((name, payload) => {
        if (name === 'job.finished') {
          off();
          resolve(payload);
        }
      });
    });
    const { jobId } = await env.call('ocr.start', { paths: [pagePath, pagePath], model: modelDir });
    const ev = (await finished) as { id: string; status: string; result: { documents: unknown[] } };
    expect(ev.id).toBe(jobId);
    expect(ev.status).toBe('done');
    expect(ev.result.documents).toHaveLength(2);
  });

  it('ocr.export gives well-formed hOCR/ALTO and the JSON shape', async () => {
    const r = await env.call('ocr.run', { paths: [pagePath], model: modelDir });
    const doc = r.documents[0]!;
    const hocr = await env.call('ocr.export', { document: doc, format: 'hocr' });
    expect(parseXml(hocr.content).filter((e) => e.attrs.class === 'ocr_line')).toHaveLength(2);
    const alto = await env.call('ocr.export', { document: doc, format: 'alto' });
    expect(parseXml(alto.content).filter((e) => e.name === 'TextLine')).toHaveLength(2);
    const json = JSON.parse((await env.call('ocr.export', { document: doc, format: 'json' })).content);
    expect(Object.keys(json).sort()).toEqual(['file', 'lines', 'ms', 'profile', 'text']);
  });

  it('ocr.correct stores the crop as a labeled sample from the document, undoable, without duplicates', async () => {
    const r = await env.call('ocr.run', { paths: [pagePath], model: modelDir, settings: { crops: true } });
    const ch = r.documents[0]!.pages[0]!.lines[0]!.chars[0]!;
    const first = await env.call('ocr.correct', { crop: ch.crop!, label: 'A', source: pagePath, box: ch.box });
    expect(first.created).toBe(true);
    const sample = await env.call('dataset.sample', { id: first.sampleId });
    expect(sample.label).toBe('A');
    expect(sample.source).toContain('page.png');
    expect(sample.history[0]).toMatchObject({ field: 'label', to: 'A', reason: 'ocr' });
    const again = await env.call('ocr.correct', { crop: ch.crop!, label: 'B', source: pagePath });
    expect(again).toMatchObject({ sampleId: first.sampleId, created: false });
    expect((await env.call('dataset.sample', { id: first.sampleId })).label).toBe('B');
    await expect(env.call('ocr.correct', { crop: ch.crop!, label: 'a', source: pagePath })).rejects.toMatchObject({ type: 'validation' });
    await expect(env.call('ocr.correct', { crop: 'AAAA', label: 'A', source: 'doc.png' })).rejects.toMatchObject({
      type: 'bad_input',
      message: expect.stringContaining('doc.png'),
    });
  });

  it('glyphlab ocr prints one JSON object per file, or one text line per line; --main-line keeps one', async () => {
    const db = path.join(tmp.dir, 'cli.db');
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['ocr', pagePath, pagePath, '--model', modelDir, '--format', 'json', '--db', db])).toBe(0);
      const lines = out.join('').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(lines[0].file).toBe(pagePath);
      expect(lines[0].lines).toHaveLength(2);
      expect(Object.keys(lines[0].lines[0].chars[0]).sort()).toEqual(['alternatives', 'box', 'char', 'confidence']);
      out.length = 0;
      expect(await runCli(['ocr', pagePath, '--model', modelDir, '--db', db])).toBe(0);
      expect(out.join('').split('\n').filter(Boolean).map((l) => l.length)).toEqual(TEXT.map((t) => t.length));
      out.length = 0;
      expect(await runCli(['ocr', pagePath, '--model', modelDir, '--main-line', '--db', db])).toBe(0);
      expect(out.join('').split('\n').filter(Boolean)).toHaveLength(1);
      expect(await runCli(['ocr', pagePath, '--model', path.join(tmp.dir, 'missing'), '--db', db])).not.toBe(0);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  });
});
