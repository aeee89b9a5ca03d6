import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tmpCore, tmpDir } from '../../helpers/tmp';
import Database from 'better-sqlite3';
import { encodeGrayPng } from '../../../main/core/imaging/png';
import { readDbSource } from '../../../main/core/evaluation/db-source';
import { readFileSource } from '../../../main/core/evaluation/file-source';
import { runCli } from '../../../main/host/cli/main';
import { loadClassifier } from '../../../main/core/ml/inference/load';
import { randomPixels, writeRandomModelDir } from '../ml/onnx-fixtures';

const tmp = tmpDir();
const CLASSES = '0123456789';
let modelDir: string;

function idxImages(n: number, size: number, pixels: Float32Array): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0x803, 0);
  head.writeUInt32BE(n, 4);
  head.writeUInt32BE(size, 8);
  head.writeUInt32BE(size, 12);
  return Buffer.concat([head, Buffer.from(Uint8Array.from(pixels, (v) => Math.round(v * 255)))]);
}
function idxLabels(labels: number[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(0x801, 0);
  head.writeUInt32BE(labels.length, 4);
  return Buffer.concat([head, Buffer.from(labels)]);
}

/** Runs the CLI in-process; returns exit code, stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The --json output: the report (last line) and the notes line before it. */
function parseJsonOut(stdout: string) {
  const lines = stdout.trim().split('\n');
  return { report: JSON.parse(lines.at(-1)!), notes: JSON.parse(lines.at(-2)!) };
}

beforeAll(async () => {
  modelDir = path.join(tmp.dir, 'model');
  await writeRandomModelDir(modelDir, { classes: CLASSES, inputSize: 28, seed: 9 });
});
afterAll(() => tmp.cleanup());

describe('glyphlab eval', () => {
  it('evaluates a gzipped IDX pair: JSON shape, n = confusion sum, labels outside the classes skipped', async () => {
    const dir = path.join(tmp.dir, 'idx');
    fs.mkdirSync(dir);
    const n = 60;
    const pixels = randomPixels(n, 28, 21);
    // Labels 0..11: 10 and 11 are not classes of the 10-class model.
    const labels = Array.from({ length: n }, (_, i) => (i * 7) % 12);
    fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(idxImages(n, 28, pixels)));
    fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(idxLabels(labels)));

    const { code, stdout, stderr } = await cli(['eval', '--model', modelDir, path.join(dir, 't10k-images-idx3-ubyte.gz'), '--json']);
    expect(code, stderr).toBe(0);
    const { report, notes } = parseJsonOut(stdout);
    expect(Object.keys(report)).toEqual(['accuracy', 'macroF1', 'perClass', 'confusion', 'classes', 'n']);
    const inClass = labels.filter((l) => l < 10).length;
    expect(report.n).toBe(inClass);
    expect(notes.skipped).toBe(n - inClass);
    expect(report.classes).toBe(CLASSES);
    expect(report.confusion).toHaveLength(10);
    expect(report.confusion.flat().reduce((s: number, v: number) => s + v, 0)).toBe(report.n);
    expect(Object.keys(report.perClass).join('')).toBe(CLASSES);
    for (let c = 0; c < 10; c++) expect(report.perClass[CLASSES[c]!].support).toBe(labels.filter((l) => l === c).length);
    expect(stderr).toMatch(new RegExp(`skipped ${n - inClass} samples`));
    expect(stderr).toMatch(/label '1[01]'/);

    // The accuracy is that of the model on these very pixels (IDX 28x28 tiles are used as they are).
    const c = await loadClassifier(modelDir);
    const keep = labels.map((l, i) => [l, i] as const).filter(([l]) => l < 10);
    const px = new Float32Array(keep.length * 784);
    keep.forEach(([, i], k) => px.set(Float32Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255) / 255), k * 784));
    const r = await c.classify(px, keep.length);
    const correct = keep.filter(([l], k) => r.argmax(k) === l).length;
    await c.dispose();
    expect(report.accuracy).toBeCloseTo(correct / keep.length, 5);
  });

  it('maps IDX labels through mapping.txt and skips characters the model does not know', async () => {
    const dir = path.join(tmp.dir, 'mapped');
    fs.mkdirSync(dir);
    const n = 12;
    const labels = Array.from({ length: n }, (_, i) => i % 12); // 10 -> 'A', 11 -> 'B' by the mapping
    fs.writeFileSync(path.join(dir, 'test-images-idx3-ubyte'), idxImages(n, 28, randomPixels(n, 28, 3)));
    fs.writeFileSync(path.join(dir, 'test-labels-idx1-ubyte'), idxLabels(labels));
    fs.writeFileSync(path.join(dir, 'mapping.txt'), Array.from({ length: 12 }, (_, i) => `${i} ${i < 10 ? 48 + i : 55 + i}`).join('\n'));
    const { code, stdout, stderr } = await cli(['eval', '--model', modelDir, dir, '--json']);
    expect(code, stderr).toBe(0);
    const { report, notes } = parseJsonOut(stdout);
    expect(report.n).toBe(10);
    expect(notes.skipped).toBe(2);
    expect(notes.skippedLabels).toEqual({ A: 1, B: 1 });
  });

  it('reads every image of a larger IDX file (the importer yields between chunks)', async () => {
    const dir = path.join(tmp.dir, 'large');
    fs.mkdirSync(dir);
    const n = 2100; // more than one importer chunk
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    fs.writeFileSync(path.join(dir, 'big-images-idx3-ubyte'), idxImages(n, 28, randomPixels(n, 28, 8)));
    fs.writeFileSync(path.join(dir, 'big-labels-idx1-ubyte'), idxLabels(labels));
    const { code, stdout, stderr } = await cli(['eval', '--model', modelDir, path.join(dir, 'big-images-idx3-ubyte'), '--json']);
    expect(code, stderr).toBe(0);
    const { report, notes } = parseJsonOut(stdout);
    expect(report).toMatchObject({ n });
    expect(notes).toMatchObject({ skipped: 0 });
    expect(report.confusion.flat().reduce((s: number, v: number) => s + v, 0)).toBe(n);
  });

  it('reads a CSV with character labels', async () => {
    const file = path.join(tmp.dir, 'glyphs.csv');
    const px = randomPixels(5, 28, 4);
    const rows = ['char,' + Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')];
    for (let i = 0; i < 5; i++) rows.push(`${'01234'[i]},${Array.from(px.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)).join(',')}`);
    rows.push(`Z,${new Array(784).fill(0).join(',')}`);
    fs.writeFileSync(file, rows.join('\n'));
    const { code, stdout, stderr } = await cli(['eval', '--model', modelDir, file, '--json']);
    expect(code, stderr).toBe(0);
    const { report, notes } = parseJsonOut(stdout);
    expect(report).toMatchObject({ n: 5 });
    expect(notes).toMatchObject({ skipped: 1, skippedLabels: { Z: 1 } });
  });

  it('normalizes class-folder photos exactly as an import does: same report as on the imported dataset', async () => {
    // Black-on-white "photos" of bars and blocks, of various sizes, in class folders '0', '1', '2'.
    const root = path.join(tmp.dir, 'folders');
    let k = 0;
    for (const cls of ['0', '1', '2', 'x']) {
      fs.mkdirSync(path.join(root, cls), { recursive: true });
      for (let j = 0; j < 4; j++, k++) {
        const w = 30 + 7 * k;
        const h = 40 + 3 * j;
        const px = new Uint8Array(w * h).fill(235);
        const x0 = 4 + (k % 5);
        const bw = 3 + ((k * 3) % (w - x0 - 6));
        for (let y = 5; y < h - 6; y++) for (let x = x0; x < x0 + bw; x++) px[y * w + x] = 20 + (k % 4) * 10;
        // A crossbar at a height and length unique to each image, so no two normalize alike.
        const yb = 6 + Math.floor(((h - 14) * k) / 16);
        for (let y = yb; y < yb + 2; y++) for (let x = x0; x < Math.min(w - 2, x0 + bw + 4 + k); x++) px[y * w + x] = 10;
        fs.writeFileSync(path.join(root, cls, `g${j}.png`), encodeGrayPng(px, w, h));
      }
    }
    const fromFiles = await cli(['eval', '--model', modelDir, root, '--json']);
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    const { report: a, notes: aNotes } = parseJsonOut(fromFiles.stdout);
    expect(a).toMatchObject({ n: 12 });
    expect(aNotes).toMatchObject({ skipped: 4 });

    // The same folder imported into a dataset (the class 'x' is added so it imports), evaluated with --db.
    const env = tmpCore();
    try {
      await env.call('dataset.setClasses', { classes: `${CLASSES}x` });
      const { jobId } = await env.call('dataset.import', { paths: [root], split: 'test' });
      await new Promise<void>((resolve, reject) => {
        const off = env.core.onEvent((name, p) => {
          const e = p as { id: string; status: string; error?: { message: string } };
          if (name === 'job.finished' && e.id === jobId) {
            off();
            if (e.status === 'done') resolve();
            else reject(new Error(e.error?.message));
          }
        });
      });
      expect((await env.call('dataset.stats', {})).bySplit.test).toBe(16);
      const fromDb = await cli(['eval', '--model', modelDir, '--db', env.core.dbPath, '--split', 'test', '--json']);
      expect(fromDb.code, fromDb.stderr).toBe(0);
      const { report: b, notes: bNotes } = parseJsonOut(fromDb.stdout);
      expect(b).toMatchObject({ n: 12 });
      expect(bNotes).toMatchObject({ skipped: 4, skippedLabels: { x: 4 } });
      expect(b.confusion).toEqual(a.confusion);

      // Pixel for pixel: what eval feeds the model from the files is what training reads from the dataset.
      const files = await readFileSource([root], CLASSES);
      const db = new Database(env.core.dbPath, { readonly: true });
      try {
        const fromDbSource = readDbSource(db, 'test', CLASSES);
        const dbPixels = await fromDbSource.pixels(0, fromDbSource.items.length, 28);
        const fileOf = new Map(
          (db.prepare('SELECT id, source FROM samples').all() as { id: number; source: string }[]).map((r) => [r.id, r.source]),
        );
        const filePixels = await files.pixels(0, files.items.length, 28);
        expect(fromDbSource.items).toHaveLength(files.items.length);
        fromDbSource.items.forEach((it, i) => {
          const j = files.items.findIndex((f) => f.source === fileOf.get(it.id!));
          expect(j, `no file for sample ${it.id}`).toBeGreaterThanOrEqual(0);
          expect(files.items[j]!.label).toBe(it.label);
          expect(Array.from(filePixels.subarray(j * 784, (j + 1) * 784))).toEqual(Array.from(dbPixels.subarray(i * 784, (i + 1) * 784)));
        });
        // The glyphs really were normalized (ink centred in a margin), not just resized.
        const first = filePixels.subarray(0, 784);
        expect(Math.max(...first.subarray(0, 28))).toBe(0);
      } finally {
        db.close();
      }
      const none = await cli(['eval', '--model', modelDir, '--db', env.core.dbPath, '--split', 'validation', '--json']);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toMatch(/no labelled samples/);
    } finally {
      await env.close();
    }
  });

  it('fails with a clear message for a missing model or data', async () => {
    const a = await cli(['eval', '--model', path.join(tmp.dir, 'nope'), path.join(tmp.dir, 'idx'), '--json']);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/nope/);
    const b = await cli(['eval', '--model', modelDir, path.join(tmp.dir, 'missing.csv'), '--json']);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/missing\.csv: no such file/);
  });
});
