/**
 * The learning loop on the plates, through the CLI (the names checks from outside use): learn from the
 * first N plates' transcripts (`glyphlab learn --profile plate --main-line`), improve the bundled model
 * (`glyphlab improve`), then read the other plates with it (`glyphlab ocr --model DIR --profile plate
 * --main-line`). Prints exact reads before and after, the base accuracy before/after, the time of the
 * whole loop, and the curve over N (default 25, 50, 100, 150; transcripts are added to one database).
 *
 *   nice -n 10 npx vite-node bench/learning-loop.ts [--steps 25,50,100,150] [--epochs 4] [--no-replay] [--cli FILE] [--keep]
 * Needs ../shared/data/plates and the built CLI (node scripts/build.mjs main).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { arg, cleanPlate, editDistance, pct, plateRows, requireData, ROOT } from './ocr-bench-util';

// --cli FILE: a snapshot of the CLI (others rebuilding dist/ during a run change what it measures).
const CLI = path.resolve(arg('cli', path.join(ROOT, 'bin', 'glyphlab.js'))!);
const clean = cleanPlate;

function glyphlab(args: string[]): string {
  return execFileSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop()!) as T;

interface ReadChar { char: string; confidence: number; alternatives: { char: string; confidence: number }[] }
interface PlateRead { truth: string; read: string; chars: ReadChar[] }

/** Reads plates with a model (or the bundled one): exact share, CER, and each reading with its glyphs. */
function readPlates(items: { file: string; plate: string }[], model: string | null, db?: string): { exact: number; cer: number; reads: PlateRead[] } {
  const out = glyphlab(['ocr', ...items.map((i) => i.file), '--profile', 'plate', '--main-line', '--format', 'json', ...(model ? ['--model', model] : []), ...(db ? ['--db', db] : [])]);
  const read = new Map<string, { text: string; chars: ReadChar[] }>();
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as { file: string; text: string; lines: { chars: ReadChar[] }[] };
    read.set(o.file, { text: o.text, chars: o.lines.flatMap((l) => l.chars) });
  }
  let exact = 0;
  let errors = 0;
  let chars = 0;
  const reads: PlateRead[] = [];
  for (const it of items) {
    const got = read.get(it.file) ?? read.get(path.resolve(it.file));
    const r = clean(got?.text ?? '');
    if (r === it.plate) exact++;
    errors += editDistance(r, it.plate);
    chars += it.plate.length;
    reads.push({ truth: it.plate, read: r, chars: (got?.chars ?? []).filter((c) => /[0-9A-Z]/.test(c.char)) });
  }
  return { exact: exact / items.length, cer: errors / chars, reads };
}

/**
 * The misreads by what could fix them: (a) the right number of glyphs, and on a wrong one the classifier
 * itself preferred the wrong class (the fine-tune's domain); (c) the right number of glyphs, and on every
 * wrong one the classifier preferred the transcript's class but the search (language model, codes,
 * shape priors) chose otherwise; (b) a glyph too many or too few: segmentation or the main line (a frame
 * edge or sticker read, a character missed, the wrong line).
 */
function buckets(reads: PlateRead[]): string {
  const n = { a: 0, b: 0, c: 0, wrongLine: 0, aChars: 0, cChars: 0 };
  const pairs = new Map<string, number>();
  for (const r of reads) {
    if (r.read === r.truth) continue;
    if (r.read.length !== r.truth.length || r.chars.length !== r.truth.length) {
      n.b++;
      if (editDistance(r.read, r.truth) * 2 >= r.truth.length) n.wrongLine++;
      continue;
    }
    let glyph = false;
    for (let i = 0; i < r.truth.length; i++) {
      const c = r.chars[i]!;
      const t = r.truth[i]!;
      if (c.char === t) continue;
      const alt = c.alternatives.find((x) => x.char === t);
      if (alt && alt.confidence > c.confidence) n.cChars++;
      else {
        glyph = true;
        n.aChars++;
        pairs.set(`${t}->${c.char}`, (pairs.get(`${t}->${c.char}`) ?? 0) + 1);
      }
    }
    if (glyph) n.a++;
    else n.c++;
  }
  const top = [...pairs].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([k, v]) => `${k} ${v}`).join(', ');
  const total = reads.length;
  return (
    `misreads ${n.a + n.b + n.c} of ${total}: (a) wrong glyph, right segmentation ${n.a} (${pct(n.a / total)}; ${n.aChars} glyphs: ${top}); ` +
    `(b) segmentation / main line ${n.b} (${pct(n.b / total)}; ${n.wrongLine} with half or more wrong); ` +
    `(c) the classifier right, the search not ${n.c} (${pct(n.c / total)}; ${n.cChars} glyphs)`
  );
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
console.log(`  ${buckets(before.reads)}`);
let learned = 0;
/** The model the app would read with: the bundled one until an improve is made active. */
let active: string | null = null;
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
  // Read as the person's app would: with the active model (the improved one only if it was made active)
  // and the language model that learned their transcripts.
  if (imp.activated) active = out;
  const after = readPlates(rest, active, db);
  const tr = performance.now();
  console.log(
    `${String(n).padStart(4)} plates: +${l.samples} samples (${l.unaligned} unaligned) | base ${pct(imp.base.before)} -> ${pct(imp.base.after)}, held-back documents ${pct(imp.documents.before)} -> ${pct(imp.documents.after)}, ${imp.activated ? 'activated' : 'not activated'} | exact on the ${rest.length}: ${pct(after.exact)} (CER ${pct(after.cer)}) | learn ${((tl - ts) / 1000).toFixed(0)} s, improve ${((ti - tl) / 1000).toFixed(0)} s, read ${((tr - ti) / 1000).toFixed(0)} s`,
  );
  console.log(`  ${buckets(after.reads)}`);
}
// --keep: leave the database and the models for a look at the misreads.
if (process.argv.includes('--keep')) console.log(`kept: ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
