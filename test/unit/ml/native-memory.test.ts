import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The addon (native/, built by npm ci). Each case runs in a child process: on failure the old kernels
// aborted the whole process (std::terminate, exit 134), which must not take the test runner with it.
let addon: string | null = null;
try {
  addon = process.env.NATIVE_TEST_ADDON ?? createRequire(import.meta.url).resolve('@glyphlab/native-kernels');
  createRequire(import.meta.url)(addon);
} catch {
  addon = null;
  console.warn('native memory tests skipped: the native kernels are not built here');
}

/** Runs one conv2dForward in a child (optionally under `ulimit -v`) and returns its one-line outcome and exit code. */
function conv(geom: number[], sizes: [number, number, number], threads: number, ulimitKb?: number): { out: string; code: number | null } {
  const script = `
    const k = require(${JSON.stringify(addon)});
    const [x, f, y] = ${JSON.stringify(sizes)}.map((n) => new Float32Array(n));
    try { k.conv2dForward(Int32Array.from(${JSON.stringify(geom)}), x, f, y, ${threads}); console.log('ok'); }
    catch (e) { console.log(e.constructor.name + ': ' + e.message); }`;
  const cmd = `${ulimitKb ? `ulimit -v ${ulimitKb}; ` : ''}exec "${process.execPath}" -e "$0"`;
  const r = spawnSync('bash', ['-c', cmd, script], { encoding: 'utf8', timeout: 60_000 });
  return { out: r.stdout.trim() || r.stderr.trim().slice(-300), code: r.status ?? (r.signal ? 128 : null) };
}

// geometry: [n, h, w, cin, ho, wo, cout, fh, fw, sh, sw, dh, dw, padTop, padLeft]
describe.skipIf(!addon)('native kernels under memory pressure', () => {
  it('refuses, before allocating, a convolution whose working memory cannot fit (4 TB of im2col)', () => {
    // 1x1 input, 1000x1000 output, 1000x1000 filter: small arrays, but im2col is 10^12 floats per image.
    const r = conv([2, 1, 1, 1, 1000, 1000, 1, 1000, 1000, 1, 1, 1, 1, 500, 500], [2, 1_000_000, 2_000_000], 2);
    expect(r.out).toMatch(/^RangeError: native kernel: this convolution needs \d+ MB of working memory and \d+ MB is available/);
    expect(r.code).toBe(0);
  });

  // The kernel's estimate compares with MemAvailable: below ~2 GB it refuses this call before the threads start.
  const availableMb = Number(/MemAvailable:\s+(\d+)/.exec(fs.existsSync('/proc/meminfo') ? fs.readFileSync('/proc/meminfo', 'utf8') : '')?.[1] ?? 0) / 1024;
  if (availableMb < 3000) console.warn(`native thread-failure test skipped: ${Math.round(availableMb)} MB available, needs 3000`);
  it.skipIf(availableMb < 3000)('turns an allocation failure in a worker thread into a JS error (the process lives on)', () => {
    // 1 GB of im2col per image and thread, under a 1.5 GB address-space limit: the estimate (against the
    // machine's available memory) lets it start, the allocation in the threads fails.
    const r = conv([2, 1, 1, 1, 500, 500, 1, 40, 25, 1, 1, 1, 1, 20, 12], [2, 1000, 500_000], 2, 1_500_000);
    expect(r.out).toMatch(/^Error: native kernel failed: std::bad_alloc/);
    expect(r.code).toBe(0);
  });
});
