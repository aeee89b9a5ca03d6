/**
 * Printed pages in fonts the default model never trained on: glyphlab (default settings, the given
 * model) against Tesseract 5 (`tesseract page.png - --psm 6`) on the same pages in one run. Prints
 * CER and WER of each engine per font and overall, seconds per page of each, and glyphlab's (and
 * Tesseract's) most frequent character confusions (truth → read, from the alignment; ∅ = missing).
 *
 *   nice -n 10 npx vite-node bench/ocr-print.ts [--seed N] [--pages N] [--out DIR] [--profile NAME]
 *                                               [--model <dir>] [--no-tesseract]
 *
 * Pages (bench/print-pages.ts): made-up UPPERCASE business text (orders, invoices, tickets,
 * addresses, rooms, dates, amounts, codes such as INV2041), 10-20 lines of 3-8 words, with words
 * from Debian's wamerican list (/usr/share/dict/american-english: `apt-get install wamerican`;
 * without it only generated words) and from a syllable generator (surnames, street and town names
 * no word list holds: the reader's language model is trained on wamerican words, these test it off
 * its list). Text is 0-9 A-Z and spaces only, no punctuation: the model's classes are 0-9 A-Z, so
 * the CER measures what glyphlab can read. One font per page, in turn: FreeSans, FreeSerif,
 * FreeMono (fonts-freefont-ttf, URW-derived, close to the outside checks), Noto Sans, Noto Serif
 * (fonts-noto-core): all held out from training; a font fc-list does not find is skipped with a
 * note. Pages 1200-1700 px wide, cap height 28-40 px, rotated 0-1.5°, blurred (σ 0.45-0.75) and
 * noised like a scan. New texts for each --seed (default 1); --pages (default 12); --out DIR keeps
 * each page's PNG, its truth (.txt) and both readings (.glyphlab.txt, .tesseract.txt).
 *
 * Scoring: both readings and the truth have runs of whitespace collapsed to one space and lines
 * joined by "\n"; CER = character edit distance / truth characters, WER = word edit distance /
 * truth words. Tesseract's output (Debian's tesseract-ocr; without it, glyphlab only) is scored as
 * it comes (a lowercase letter or a stray mark counts as an error). Also printed: the share of
 * truth words each engine did not read exactly, by kind (on the wamerican list the language model
 * learns from; numbers; other: codes, made-up names), to show whether the reader only gets listed
 * words right. Glyphlab reads through readDocuments with `ocrSettings.parse({})` (plus `profile`
 * with --profile); a first read of page 1 warms the model up and is not timed. Seconds per page
 * (wall) include decoding the PNG (and, for Tesseract, starting its process; OMP_THREAD_LIMIT=1 as
 * in bench/ocr-plates.ts); CPU seconds per page (this process's for glyphlab, the child's for
 * Tesseract) are what a page costs on an idle machine, the figure to compare on a shared one.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ocrSettings } from '../main/common/contract/ocr';
import { classifierFor, ocrModelDir } from '../main/core/ocr/model';
import { readDocuments } from '../main/core/ocr/read';
import { arg, pct } from './ocr-bench-util';
import { findFonts, fontMetrics, loadWords, renderPage, rngOf, WORD_LIST } from './print-pages';
import { addCounts, align, errorCounts, type ErrorCounts, normalizeText, showChar } from './text-metrics';

const run = promisify(execFile);
const FONTS = ['FreeSans', 'FreeSerif', 'FreeMono', 'Noto Sans', 'Noto Serif'] as const;
const ENGINES = ['glyphlab', 'tesseract'] as const;
type Engine = (typeof ENGINES)[number];

interface Page {
  name: string;
  font: string;
  file: string;
  truth: string;
  png: Buffer;
}

const zero = (): ErrorCounts => ({ charErrors: 0, chars: 0, wordErrors: 0, words: 0 });

/** Kinds of truth words: on the word list the language model learns from, numbers, and the rest. */
const KINDS = ['wamerican', 'number', 'other'] as const;
type Kind = (typeof KINDS)[number];
type KindCounts = Record<Kind, { words: number; wrong: number }>;
const zeroKinds = (): KindCounts => ({ wamerican: { words: 0, wrong: 0 }, number: { words: 0, wrong: 0 }, other: { words: 0, wrong: 0 } });

/** Counts each truth word by kind, and as wrong unless the alignment pairs it with the same word read. */
function countKinds(into: KindCounts, truth: string, read: string, listed: Set<string>): void {
  const words = (s: string) => normalizeText(s).split(/\s+/).filter(Boolean);
  for (const [t, r] of align(words(truth), words(read))) {
    if (t === null) continue;
    const k = into[/^\d+$/.test(t) ? 'number' : listed.has(t) ? 'wamerican' : 'other'];
    k.words++;
    if (r !== t) k.wrong++;
  }
}

function positiveInt(name: string, fallback: string): number {
  const v = Number(arg(name, fallback));
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer (got ${arg(name)})`);
  return v;
}

async function makePages(count: number, seed: number, dir: string): Promise<{ pages: Page[]; listed: Set<string> }> {
  const words = loadWords();
  if (!words.common.length) console.log(`note: ${WORD_LIST} is absent (apt-get install wamerican): generated words only`);
  const { found, missing } = findFonts(FONTS);
  for (const f of missing) console.log(`note: font ${f} not found by fc-list: skipped`);
  if (!found.length) throw new Error(`none of the fonts ${FONTS.join(', ')} is installed (apt-get install fonts-freefont-ttf fonts-noto-core)`);
  const metrics = new Map<string, { cap: number; advance: number }>();
  for (const f of found) metrics.set(f, await fontMetrics(f));
  const rng = rngOf(seed);
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const font = found[i % found.length]!;
    const { png, lines } = await renderPage(rng, words, font, metrics.get(font)!);
    const name = `page-${String(i + 1).padStart(2, '0')}-${font.replace(/\s+/g, '')}`;
    const file = path.join(dir, `${name}.png`);
    fs.writeFileSync(file, png);
    fs.writeFileSync(path.join(dir, `${name}.txt`), lines.join('\n') + '\n');
    pages.push({ name, font, file, truth: lines.join('\n'), png });
  }
  return { pages, listed: new Set([...words.common, ...words.names]) };
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

/**
 * Adds a reading's character confusions (truth→read, from the alignment) and, for each space it
 * inserted or dropped, the truth character before it (spaces inserted after a narrow 1, say).
 */
function tally(confused: Map<string, number>, spaces: Map<string, number>, truth: string, read: string): void {
  let before = '';
  for (const [t, r] of align(normalizeText(truth), normalizeText(read))) {
    if (t !== r) {
      bump(confused, `${showChar(t ?? '')}→${showChar(r ?? '')}`);
      if (t === null && r === ' ') bump(spaces, `inserted after ${showChar(before)}`);
      if (t === ' ' && r === null) bump(spaces, `dropped after ${showChar(before)}`);
    }
    if (t !== null) before = t;
  }
}

/** Tesseract's reading of a page and the CPU seconds it took (bash's `times` of its child, on stderr's last line). */
async function tesseract(file: string): Promise<{ text: string; cpu: number }> {
  const { stdout, stderr } = await run('bash', ['-c', 'tesseract "$1" - --psm 6 && times >&2', 'tesseract', file], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    maxBuffer: 16 << 20,
  });
  const last = stderr.trim().split('\n').pop() ?? '';
  const cpu = [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((a, m) => a + Number(m[1]) * 60 + Number(m[2]), 0);
  return { text: stdout, cpu };
}

async function hasTesseract(): Promise<boolean> {
  try {
    await run('tesseract', ['--version']);
    return true;
  } catch {
    console.log('note: tesseract is not installed (apt-get install tesseract-ocr): glyphlab only');
    return false;
  }
}

function topCounts(pairs: Map<string, number>, n: number): string {
  return [...pairs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, c]) => `${k} ${c}`)
    .join(', ');
}

async function main(): Promise<void> {
  const seed = positiveInt('seed', '1');
  const count = positiveInt('pages', '12');
  const outArg = arg('out');
  const profile = arg('profile');
  const withTesseract = !process.argv.includes('--no-tesseract') && (await hasTesseract());
  const parsed = ocrSettings.safeParse(profile ? { profile } : {});
  if (!parsed.success) throw new Error(`--profile ${profile}: not a reading profile (${parsed.error.issues.map((i) => i.message).join('; ')})`);
  const settings = parsed.data;
  const dir = outArg ? path.resolve(outArg) : fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-print-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const { pages, listed } = await makePages(count, seed, dir);
    const { dir: modelDir, classifier } = await classifierFor(ocrModelDir(null, arg('model')));
    const chars = pages.reduce((a, p) => a + normalizeText(p.truth).length, 0);
    console.log(`print: ${pages.length} pages (seed ${seed}), ${chars} characters; model ${modelDir} (${classifier.runtime}); profile ${profile ?? 'default'}`);
    if (outArg) console.log(`pages, truths and readings in ${dir}`);

    const engines: Engine[] = withTesseract ? [...ENGINES] : ['glyphlab'];
    const byFont = new Map<string, Record<Engine, ErrorCounts>>();
    const total: Record<Engine, ErrorCounts> = { glyphlab: zero(), tesseract: zero() };
    const seconds: Record<Engine, number> = { glyphlab: 0, tesseract: 0 };
    const cpuSeconds: Record<Engine, number> = { glyphlab: 0, tesseract: 0 };
    const confused: Record<Engine, Map<string, number>> = { glyphlab: new Map(), tesseract: new Map() };
    const kinds: Record<Engine, KindCounts> = { glyphlab: zeroKinds(), tesseract: zeroKinds() };
    const spaceErrors: Record<Engine, Map<string, number>> = { glyphlab: new Map(), tesseract: new Map() };
    const read: Record<Engine, (p: Page) => Promise<{ text: string; cpu: number }>> = {
      glyphlab: async (p) => {
        const c0 = process.cpuUsage();
        const [doc] = await readDocuments([{ name: `${p.name}.png`, data: p.png }], classifier, settings);
        const c = process.cpuUsage(c0);
        return { text: doc!.pages.map((r) => r.text).join('\n'), cpu: (c.user + c.system) / 1e6 };
      },
      tesseract: (p) => tesseract(p.file),
    };
    await read.glyphlab(pages[0]!); // warm-up, not timed
    for (const p of pages) {
      const row = byFont.get(p.font) ?? { glyphlab: zero(), tesseract: zero() };
      byFont.set(p.font, row);
      for (const e of engines) {
        const t0 = performance.now();
        const { text, cpu } = await read[e](p);
        seconds[e] += (performance.now() - t0) / 1000;
        cpuSeconds[e] += cpu;
        const c = errorCounts(p.truth, text);
        addCounts(row[e], c);
        addCounts(total[e], c);
        countKinds(kinds[e], p.truth, text, listed);
        tally(confused[e], spaceErrors[e], p.truth, text);
        if (outArg) fs.writeFileSync(path.join(dir, `${p.name}.${e}.txt`), text);
      }
    }

    const cell = (c: ErrorCounts) => `${pct(c.charErrors / c.chars, 2).padStart(7)} ${pct(c.wordErrors / c.words, 2).padStart(7)}`;
    console.log(`\n${'font'.padEnd(11)} pages ${'chars'.padStart(6)}  ${engines.map((e) => `${e.padEnd(9)} CER     WER`).join('   ')}`);
    const rows = [...byFont.entries()].map(([font, r]) => ({ font, r, n: pages.filter((p) => p.font === font).length }));
    for (const { font, r, n } of [...rows, { font: 'all', r: total, n: pages.length }]) {
      console.log(`${font.padEnd(11)} ${String(n).padStart(5)} ${String(r.glyphlab.chars).padStart(6)}  ${engines.map((e) => `${''.padEnd(6)}${cell(r[e])}`).join('   ')}`);
    }
    const perPage = (x: Record<Engine, number>) => engines.map((e) => `${e} ${(x[e] / pages.length).toFixed(2)}`).join(', ');
    console.log(`\nseconds per page: ${perPage(seconds)}; CPU seconds per page: ${perPage(cpuSeconds)} (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
    const byKind = (k: KindCounts) => KINDS.map((n) => `${n} ${pct(k[n].wrong / Math.max(1, k[n].words), 2)} of ${k[n].words}`).join(', ');
    for (const e of engines) console.log(`${e} truth words not read exactly, by kind: ${byKind(kinds[e])}`);
    for (const e of engines) console.log(`${e} top confusions (truth→read count): ${topCounts(confused[e], e === 'glyphlab' ? 10 : 5) || 'none'}`);
    console.log(`glyphlab space errors (by the truth character before): ${topCounts(spaceErrors.glyphlab, 6) || 'none'}`);
    await classifier.dispose?.();
  } finally {
    if (!outArg) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((e: unknown) => {
  console.error(`ocr-print: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
