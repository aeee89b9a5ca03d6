import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { checkAfterCrash, committedSamples } from '../helpers/crash-invariants';
import { LONG, runDriver, type DriverLine } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';
import { writeIdx } from './support/idx';

/** SampleWriter's transaction size (main/core/datasets/store.ts): the most a kill may lose. */
const BATCH = 2000;
const SAMPLES = 100_000;
const KILLS = LONG ? 20 : 3;
/** Default runs kill in the first 25% of the import (each kill point costs the time up to it; 2 cores). */
const SPAN = LONG ? 1 : 0.25;

describe('SIGKILL during a large IDX import', () => {
  let work: ReturnType<typeof tmpDir>;
  let images: string;
  const survived: string[] = [];
  beforeAll(() => {
    work = tmpDir('glyphlab-crash-import-');
    images = writeIdx(work.dir, SAMPLES).images;
  });
  afterAll(() => {
    console.log(`crash import: ${survived.length}/${KILLS} kill points survived (${SAMPLES} samples): ${survived.join(', ')}`);
    work.cleanup();
  });

  it(`loses at most the batch in flight, at ${KILLS} kill points`, async () => {
    for (let k = 0; k < KILLS; k++) {
      // One kill point in each slice of the import, by progress, plus a random delay past it.
      const target = Math.round(((k + Math.random()) / KILLS) * SPAN * SAMPLES);
      const dataDir = path.join(work.dir, `kill-${k}`);
      const db = path.join(dataDir, 'glyphlab.db');
      let reported = 0;
      let committedAtKill = 0;
      const run = await runDriver('import', { dataDir, paths: [images] }, {
        killWhen: (l: DriverLine) => {
          if (l.ev === 'progress') reported = Math.max(reported, Number(l.done));
          return reported >= target ? Math.random() * 200 : false;
        },
        beforeKill: () => {
          committedAtKill = committedSamples(db);
        },
      });
      expect(run.killed, `kill ${k}: the import finished before the kill (${run.ms} ms)`).toBe(true);
      // The app opens it again without calling it damaged; then the invariants hold.
      await createCore({ dataDir }).close();
      const report = checkAfterCrash(db);
      expect(report.problems, `kill ${k}`).toEqual([]);
      expect(report.samples).toBeGreaterThanOrEqual(committedAtKill);
      expect(report.samples).toBeGreaterThanOrEqual(reported - BATCH);
      survived.push(`${report.samples} committed @${run.ms}ms`);
      if (LONG && k === 0) {
        // Importing the same file again completes it: nothing is lost for good, nothing is doubled.
        const resumed = await runDriver('import', { dataDir, paths: [images] }, { timeoutMs: 300_000 });
        expect(resumed.lines.find((l) => l.ev === 'finished')).toMatchObject({ status: 'done', result: { imported: SAMPLES - report.samples, duplicates: report.samples } });
        expect(checkAfterCrash(db)).toMatchObject({ problems: [], samples: SAMPLES });
      }
    }
  }, 900_000);
});
