import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { encodeGrayPng } from '../../../main/core/imaging/png';
import { Rng } from '../../../main/core/training/rng';
import { makeToyDb, toyGlyph } from './fixtures';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'glyphlab.js');
const scratch = tmpDir();
afterAll(() => scratch.cleanup());

async function glyphlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: scratch.dir, timeout: 170_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('glyphlab train and eval (CLI contract, built CLI)', () => {
  it('train --json: one object per epoch, then exactly the summary line; eval --json on its model ends with exactly the report', async () => {
    if (!fs.existsSync(path.join(root, 'dist', 'main', 'cli.js'))) throw new Error('CLI not built: run node scripts/build.mjs main');
    const db = path.join(scratch.dir, 'toy.db');
    makeToyDb(db);
    const out = path.join(scratch.dir, 'model');
    const model = JSON.stringify({ filters: [8, 16], dense: [32], dropout: 0 });
    const args = ['train', '--db', db, '--out', out, '--epochs', '2', '--batch', '16', '--input', '16', '--limit', '60'];
    const res = await glyphlab([...args, '--backend', 'wasm', '--model', model, '--no-augment', '--lr', '0.005', '--json']);
    expect(res.code, res.stderr).toBe(0);
    // The worker's own backend description, once, on stderr (threads and SIMD kernels are the worker's to say).
    expect(res.stderr.match(/^train: the worker trains on wasm \(asked for wasm; .*\)$/gm)).toHaveLength(1);
    expect(res.stderr).toMatch(/the worker trains on wasm \(.*\d+ threads?.*\)/);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((l) => l.epoch)).toEqual([1, 2]);
    for (const l of lines.slice(0, 2)) {
      expect(l).toMatchObject({ epochs: 2, backend: 'wasm' });
      expect(l.loss).toBeGreaterThan(0);
      expect(l.valAccuracy).toBeGreaterThanOrEqual(0);
    }
    const last = lines[2];
    expect(Object.keys(last).sort()).toEqual(['backend', 'epochs', 'model', 'trainSamplesPerSec', 'valAccuracy']);
    expect(last).toMatchObject({ model: out, backend: 'wasm', epochs: 2 });
    expect(last.trainSamplesPerSec).toBeGreaterThan(0);
    expect(last.valAccuracy).toBe(lines[1].valAccuracy);
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['model.json', 'weights.bin', 'metadata.json']));
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
    // --limit caps the training samples.
    const trained = Object.values(meta.data.counts.train as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(trained).toBe(60);
    expect(meta).toMatchObject({ classes: 'OXI', inputSize: 16, backend: 'wasm' });

    // The output folder is never overwritten.
    const again = await glyphlab([...args, '--json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(out);

    // glyphlab eval on class folders with the model just written; 'Z' is not one of its classes.
    const folders = path.join(scratch.dir, 'eval-folders');
    const rng = new Rng(5);
    const perClass = { O: 6, X: 5, I: 4, Z: 3 };
    for (const [c, n] of Object.entries(perClass)) {
      fs.mkdirSync(path.join(folders, c), { recursive: true });
      for (let i = 0; i < n; i++) fs.writeFileSync(path.join(folders, c, `${i}.png`), encodeGrayPng(toyGlyph(c === 'Z' ? 'X' : c, 16, rng), 16, 16));
    }
    const ev = await glyphlab(['eval', '--model', out, folders, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const evLines = ev.stdout.trim().split('\n');
    const report = JSON.parse(evLines.at(-1)!);
    expect(Object.keys(report)).toEqual(['accuracy', 'macroF1', 'perClass', 'confusion', 'classes', 'n']);
    expect(report.classes).toBe('OXI');
    expect(report.n).toBe(15);
    expect(Object.keys(report.perClass)).toEqual(['O', 'X', 'I']);
    expect([report.perClass.O.support, report.perClass.X.support, report.perClass.I.support]).toEqual([6, 5, 4]);
    const trace = report.confusion.reduce((s: number, row: number[], i: number) => s + row[i]!, 0);
    expect(report.confusion.flat().reduce((s: number, v: number) => s + v, 0)).toBe(15);
    expect(report.accuracy).toBeCloseTo(trace / 15, 5);
    expect(report.macroF1).toBeGreaterThanOrEqual(0);
    expect(report.macroF1).toBeLessThanOrEqual(1);
    // The labels outside the model's classes: reported (stderr, and the JSON line before the report) and skipped.
    expect(JSON.parse(evLines.at(-2)!)).toMatchObject({ skipped: 3, skippedLabels: { Z: 3 } });
    expect(ev.stderr).toMatch(/skipped 3 samples .*'Z' ×3/);
  }, 180_000);
});
