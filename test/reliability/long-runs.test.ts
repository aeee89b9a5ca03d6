import v8 from 'node:v8';
import vm from 'node:vm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochStats } from '../../main/common/contract';
import { encodeGrayPng } from '../../main/core/imaging/png';
import { LONG } from '../helpers/crash-harness';
import { makeUntrainedModel } from '../helpers/model-fixture';
import { tmpCore, tmpDir } from '../helpers/tmp';
import { jobResult } from '../helpers/toy-dataset';
import { writeIdx } from './support/idx';

// Long runs, kept fast: a tiny network on a tiny set for 20 epochs; small generated pages for OCR
// (1,000 by default; 5,000 with GLYPHLAB_LONG_TESTS=1). Bounds: tensors constant once warm, RSS
// growth well below what a per-epoch or per-page leak would add, event-loop delay p99 < 50 ms.

const EPOCHS = 20;
const PAGES = LONG ? 5000 : 1000;
const PAGES_PER_CALL = 50;
const MB = 1024 * 1024;
/** Load average per core above which the event-loop delay measures the machine more than the app. */
const QUIET_LOAD = 1;
const BUSY_P99_MS = 250;
const rssMb = () => process.memoryUsage().rss / MB;

/** V8's full collection, exposed at run time (the test runner's workers start without --expose-gc). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / MB;
}

describe('long runs', () => {
  let work: ReturnType<typeof tmpDir>;
  const figures: string[] = [];
  beforeAll(() => {
    work = tmpDir('glyphlab-long-');
  });
  afterAll(() => {
    console.log(`long runs:\n  ${figures.join('\n  ')}`);
    work.cleanup();
  });

  it(`trains ${EPOCHS} epochs in the worker with constant tensors, bounded RSS, and the main event loop responsive`, async () => {
    const app = tmpCore({ backend: 'cpu' });
    try {
      const { images } = writeIdx(work.dir, 300, { classes: 10 });
      await jobResult(app.core, app.call('dataset.import', { paths: [images] }));
      const epochs: (EpochStats & { rss: number })[] = [];
      let batchEvents = 0;
      const off = app.core.onEvent((name, payload) => {
        const p = payload as { phase?: string } & EpochStats;
        if (name === 'training.progress' && p.phase === 'epoch') epochs.push({ ...p, rss: rssMb() });
        if (name === 'training.progress' && p.phase === 'batch') batchEvents++;
      });
      // The main process's event loop while the worker trains (10 ms sampling resolution).
      const delay = monitorEventLoopDelay({ resolution: 10 });
      // And a request answered mid-training, as the UI would make (time to answer, ms).
      const answers: number[] = [];
      const ping = setInterval(() => {
        const t0 = performance.now();
        void app.call('dataset.stats', {}).then(() => answers.push(performance.now() - t0));
      }, 100);
      const load = os.loadavg()[0]! / os.cpus().length;
      const elu0 = performance.eventLoopUtilization();
      delay.enable();
      const result = await jobResult<{ modelId: number }>(
        app.core,
        app.call('training.start', {
          config: {
            epochs: EPOCHS,
            batchSize: 16,
            inputSize: 16,
            patience: 0,
            augment: { enabled: true },
            model: { filters: [4, 8], dense: [16], dropout: 0.1 },
          },
          allowSlow: true,
        }),
      );
      delay.disable();
      const elu = performance.eventLoopUtilization(elu0).utilization;
      clearInterval(ping);
      off();
      expect(result.modelId).toBeGreaterThan(0);
      expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));

      // Tensors: the same count after every epoch (the optimizer's slots exist from the first step on).
      const tensors = epochs.map((e) => e.numTensors!);
      expect(new Set(tensors).size, `numTensors per epoch: ${tensors.join(',')}`).toBe(1);
      // RSS from epoch 5 (warm) on. On a busy machine the worker's heap settles late (seen: +50 MB by
      // epoch 12, flat after), so a leak is judged on the second half of the run: the lowest RSS of the
      // last five epochs may exceed that of epochs 11-15 by at most 10 MB (a leak of 2 MB per epoch
      // fails). Peaks from the garbage collector's timing stay under 80 MB above epoch 5.
      const warm = epochs[4]!.rss;
      const rss = epochs.map((e) => e.rss);
      const peak = Math.max(...rss.slice(4));
      const growth = epochs.at(-1)!.rss - warm;
      const floorMid = Math.min(...rss.slice(10, 15));
      const floorLate = Math.min(...rss.slice(15));
      const trace = `RSS per epoch (MB): ${rss.map((r) => r.toFixed(0)).join(',')}`;
      expect(floorLate - floorMid, trace).toBeLessThan(10);
      expect(peak - warm, trace).toBeLessThan(80);
      const p99 = delay.percentile(99) / 1e6;
      const p50 = delay.percentile(50) / 1e6;
      const max = delay.max / 1e6;
      answers.sort((a, b) => a - b);
      const answerP99 = answers[Math.floor(answers.length * 0.99)] ?? NaN;
      figures.push(
        `training ${EPOCHS} epochs: numTensors ${tensors[0]} every epoch; RSS ${warm.toFixed(0)} MB at epoch 5 → ${epochs.at(-1)!.rss.toFixed(0)} MB at epoch ${EPOCHS} ` +
          `(growth ${growth.toFixed(1)} MB, second-half floor ${(floorLate - floorMid).toFixed(1)} MB, peak +${(peak - warm).toFixed(1)} MB); ${batchEvents} batch events`,
        `main event-loop delay during training: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
          `(resolution 10 ms, so ~10 ms is idle); utilization ${(elu * 100).toFixed(0)}%; dataset.stats answered in p99 ${answerP99.toFixed(1)} ms ` +
          `over ${answers.length} calls; machine load ${load.toFixed(1)} per core` +
          (load > QUIET_LOAD ? ` (busy: p99 bound relaxed to ${BUSY_P99_MS} ms)` : ''),
      );
      // Training runs in the worker: the main loop is mostly idle whatever the machine's load...
      expect(elu).toBeLessThan(0.5);
      // ...and its delay p99 stays under 50 ms. On a machine busier than one runnable task per core the
      // scheduler, not the app, sets the delay: the bound is then only one that blocking would break.
      expect(p99).toBeLessThan(load > QUIET_LOAD ? BUSY_P99_MS : 50);
      expect(answers.length).toBeGreaterThan(5);
    } finally {
      await app.close();
    }
  }, 300_000);

  it(`reads ${PAGES} small pages with constant tensors and bounded RSS`, async () => {
    const app = tmpCore();
    try {
      const model = await makeUntrainedModel(path.join(work.dir, 'model'));
      // Ten different pages: 4 to 8 dark strokes on white, 200x56.
      const files: string[] = [];
      for (let f = 0; f < 10; f++) {
        const w = 200;
        const h = 56;
        const px = new Uint8Array(w * h).fill(255);
        for (let c = 0; c < 4 + (f % 5); c++) {
          const x0 = 12 + c * 22;
          for (let y = 12; y < 44; y++) for (let x = x0; x < x0 + 3 + ((c + f) % 4); x++) px[y * w + x] = 20;
          for (let x = x0; x < x0 + 12; x++) px[(c % 2 ? 12 : 42) * w + x] = 20;
        }
        const file = path.join(work.dir, `page ${f}.png`);
        fs.writeFileSync(file, encodeGrayPng(px, w, h));
        files.push(file);
      }
      const samples: { pages: number; rss: number; tensors: number; heap: number }[] = [];
      let pages = 0;
      let chars = 0;
      const t0 = performance.now();
      while (pages < PAGES) {
        const paths = Array.from({ length: PAGES_PER_CALL }, (_, i) => files[(pages + i) % files.length]!);
        const r = await app.call('ocr.run', { paths, model });
        for (const d of r.documents) for (const p of d.pages) chars += p.lines.reduce((a, l) => a + l.chars.length, 0);
        pages += r.documents.reduce((a, d) => a + d.pages.length, 0);
        // The heap is read after a full collection at the warm point and at the end (garbage not yet
        // collected is not a leak; between them, heapUsed alone swings by tens of MB on a busy machine).
        const atWarm = !samples.some((x) => x.pages >= PAGES * 0.2) && pages >= PAGES * 0.2;
        const heap = atWarm || pages >= PAGES ? heapAfterGc() : process.memoryUsage().heapUsed / MB;
        samples.push({ pages, rss: rssMb(), tensors: tf.memory().numTensors, heap });
      }
      const secs = (performance.now() - t0) / 1000;
      // Warm after the first 20% of the pages.
      const warmAt = samples.findIndex((s) => s.pages >= PAGES * 0.2);
      const warm = samples[warmAt]!;
      const last = samples.at(-1)!;
      const peak = Math.max(...samples.slice(warmAt).map((s) => s.rss));
      figures.push(
        `OCR ${pages} pages (${chars} characters, ${(pages / secs).toFixed(0)} pages/s): tensors ${warm.tensors} → ${last.tensors}; ` +
          `RSS ${warm.rss.toFixed(0)} MB at ${warm.pages} pages → ${last.rss.toFixed(0)} MB (peak +${(peak - warm.rss).toFixed(1)} MB); ` +
          `heap after GC ${warm.heap.toFixed(0)} → ${last.heap.toFixed(0)} MB`,
      );
      expect(pages).toBe(PAGES);
      expect(chars).toBeGreaterThan(PAGES * 3);
      expect(new Set(samples.slice(warmAt).map((s) => s.tensors)).size, 'tensors after warm-up').toBe(1);
      // 800+ more pages: a leak of even one 28x28 float crop per character (~3 kB x 5 chars) would add
      // >12 MB; the bound leaves room for the allocator's noise only.
      expect(peak - warm.rss).toBeLessThan(LONG ? 80 : 60);
      expect(last.heap - warm.heap).toBeLessThan(25);
    } finally {
      await app.close();
    }
  }, 600_000);
});
