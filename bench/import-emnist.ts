/**
 * Import speed on the real EMNIST-36 train set (174,309 IDX images), then a re-import (all duplicates).
 * Run: node scripts/build.mjs main && nice -n 10 npx vite-node bench/import-emnist.ts [--keep <db>] [--inline]
 * (the build makes dist/main/import-encode.worker.js, which hashes and PNG-encodes off the main thread;
 * --inline does it all on the main thread, for comparison).
 * Target: ≤ 15 s for the first import on the development machine; the re-import adds 0 samples.
 * Prints wall time, this process's CPU time (all threads) and the load average: on a shared, loaded
 * machine the CPU time is the fair figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../main/core/db/open';
import { runImport } from '../main/core/datasets/import/run';
import { querySamples } from '../main/core/datasets/query';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const data = path.resolve(root, '..', 'shared', 'data', 'emnist36');
const images = path.join(data, 'train-images-idx3-ubyte.gz');
if (!fs.existsSync(images)) {
  console.log(`skipped: ${images} not found`);
  process.exit(0);
}
const keep = process.argv.indexOf('--keep');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-bench-'));
const dbFile = keep > 0 ? path.resolve(process.argv[keep + 1]!) : path.join(dir, 'bench.db');
const db = openDatabase(dbFile);
const job = { signal: new AbortController().signal, progress: () => undefined };
const encoder = process.argv.includes('--inline') ? ('inline' as const) : ('auto' as const);
console.log(`${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; encoding: ${encoder === 'inline' ? 'main thread' : 'import worker when built'}`);

for (const pass of ['first import', 're-import']) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await runImport(db, { paths: [images], format: 'auto', transposed: false, pipeline: { encoder } }, job);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const handled = r.imported + r.duplicates;
  console.log(
    `${pass}: ${r.imported} imported, ${r.duplicates} duplicates, ${r.errors.length} errors in ${secs.toFixed(2)} s ` +
      `(${Math.round(handled / secs)} samples/s); CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}), ` +
      `load average ${os.loadavg()[0]!.toFixed(1)}, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

// The grid's deep window: offset 150,000 with thumbnails, newest first and by label.
for (const sort of ['newest', 'label'] as const) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const q = querySamples(db, { filter: {}, sort, offset: 150_000, limit: 200, thumbs: true });
    times.push(performance.now() - t0);
    if (q.rows.length !== 200) throw new Error(`expected 200 rows, got ${q.rows.length}`);
  }
  times.sort((a, b) => a - b);
  console.log(`query offset 150000 limit 200 sort=${sort}: median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)})`);
}
{
  const t0 = performance.now();
  const q = querySamples(db, { filter: { labels: ['Q'], splits: ['train'] }, sort: 'newest', offset: 0, limit: 200, thumbs: true });
  console.log(`query label=Q split=train (total ${q.total}): ${(performance.now() - t0).toFixed(1)} ms`);
}
db.close();
console.log(`database: ${(fs.statSync(dbFile).size / 1e6).toFixed(1)} MB`);
if (keep < 0) fs.rmSync(dir, { recursive: true, force: true });
