/**
 * The learning loop on the plates, through the CLI (the names checks from outside use): learn from the
 * first N plates' transcripts (`glyphlab learn --profile plate --main-line`), improve the bundled model
 * (`glyphlab improve`), then read the other plates with it (`glyphlab ocr --model DIR --profile plate
 * --main-line`). Prints exact reads before and after, the base accuracy before/after, the time of the
 * whole loop, and the curve over N (default 25, 50, 100, 150; transcripts are added to one database).
 *
 *   nice -n 10 npx vite-node bench/learning-loop.ts [--steps 25,50,100,150] [--epochs 4] [--no-replay]
 * Needs ../shared/data/plates and the built CLI (node scripts/build.mjs main).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { arg, cleanPlate, editDistance, pct, plateRows, requireData, ROOT } from './ocr-bench-util';

const CLI = path.join(ROOT, 'bin', 'glyphlab.js');
const clean = cleanPlate;

function glyphlab(args: string[]): string {
  return execFileSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop()!) as T;

/** Reads plates with a model (or the bundled one): exact share and CER. */
function readPlates(items: { file: string; plate: string }[], model: string | null, db?: string): { exact: number; cer: number } {
  const out = glyphlab(['ocr', ...items.map((i) => i.file), '--profile', 'plate', '--main-line', ...(model ? ['--model', model] : []), ...(db ? ['--db', db] : [])]);
  const read = new Map<string, string>();
  let current = '';
  for (const line of out.split('\n')) {
    const h = /^==> (.*) <==$/.exec(line);
    if (h) current = h[1]!;
    else if (current) read.set(current, (read.get(current) ?? '') + line);
  }
  let exact = 0;
  let errors = 0;
  let chars = 0;
  for (const it of items) {
    const r = clean(read.get(it.file) ?? '');
    if (r === it.plate) exact++;
    errors += editDistance(r, it.plate);
    chars += it.plate.length;
  }
  return { exact: exact / items.length, cer: errors / chars };
}

const dir = requireData('plates');
const rows = plateRows(dir);
const steps = (arg('steps', '25,50,100,150') ?? '').split(',').map(Number);
const maxN = Math.max(...steps);
const rest = rows.slice(maxN);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'learning-loop-'));
const db = path.join(work, 'g.db');
const csv = path.join(work, 'transcripts.csv');
fs.writeFileSync(csv, `file,text\n${rows.slice(0, maxN).map((r) => `${path.basename(r.file)},${r.plate}`).join('\n')}\n`);
const epochs = arg('epochs', '4')!;
const replay = !process.argv.includes('--no-replay');

console.log(`plates: learn from the first ${steps.join(', ')}, read the other ${rest.length}; epochs ${epochs}, replay ${replay ? 'on' : 'off'}`);
const t0 = performance.now();
const before = readPlates(rest, null);
console.log(`bundled model: exact ${pct(before.exact)} CER ${pct(before.cer)} on the ${rest.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
let learned = 0;
for (const n of steps) {
  const ts = performance.now();
  const l = lastJson<{ samples: number; unaligned: number }>(
    glyphlab(['learn', ...rows.slice(learned, n).map((r) => r.file), '--transcripts', csv, '--db', db, '--profile', 'plate', '--main-line', '--json']),
  );
  learned = n;
  const tl = performance.now();
  const out = path.join(work, `model-${n}`);
  const imp = lastJson<{ model: string; base: { before: number; after: number }; documents: { before: number; after: number }; activated: boolean }>(
    glyphlab(['improve', '--db', db, '--out', out, '--from', path.join(ROOT, 'resources', 'models', 'default'), '--epochs', epochs, ...(replay ? [] : ['--no-replay']), '--json']),
  );
  const ti = performance.now();
  // Read as the person's app would: with the improved model and the language model that learned their transcripts.
  const after = readPlates(rest, out, db);
  const tr = performance.now();
  console.log(
    `${String(n).padStart(4)} plates: +${l.samples} samples (${l.unaligned} unaligned) | base ${pct(imp.base.before)} -> ${pct(imp.base.after)}, held-back documents ${pct(imp.documents.before)} -> ${pct(imp.documents.after)}, ${imp.activated ? 'activated' : 'not activated'} | exact on the ${rest.length}: ${pct(after.exact)} (CER ${pct(after.cer)}) | learn ${((tl - ts) / 1000).toFixed(0)} s, improve ${((ti - tl) / 1000).toFixed(0)} s, read ${((tr - ti) / 1000).toFixed(0)} s`,
  );
}
fs.rmSync(work, { recursive: true, force: true });
