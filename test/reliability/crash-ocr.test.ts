import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { checkAfterCrash } from '../helpers/crash-invariants';
import { LONG, runDriver } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';

const KILLS = LONG ? 20 : 3;

describe('SIGKILL during OCR corrections', () => {
  let work: ReturnType<typeof tmpDir>;
  const log: string[] = [];
  beforeAll(() => {
    work = tmpDir('glyphlab-crash-ocr-');
  });
  afterAll(() => {
    console.log(`crash ocr: ${log.join('; ')}`);
    work.cleanup();
  });

  it(`keeps every confirmed correction whole (sample, image, 'ocr' edit) at ${KILLS} kill points`, async () => {
    const dataDir = work.dir;
    const confirmed: number[] = [];
    let next = 0;
    for (let k = 0; k < KILLS; k++) {
      const after = Math.floor(Math.random() * 40);
      let seen = 0;
      const run = await runDriver('ocr-correct', { dataDir, rounds: 100_000, start: next }, {
        killWhen: (l) => (l.ev === 'committed' && seen++ === after ? Math.random() * 300 : false),
      });
      expect(run.killed, run.stderr.slice(-1000)).toBe(true);
      const ids = run.lines.filter((l) => l.ev === 'committed').map((l) => Number(l.sampleId));
      confirmed.push(...ids);
      next += ids.length + 1000; // never reuse a crop that may have been committed unconfirmed
      await createCore({ dataDir }).close();
      const report = checkAfterCrash(`${dataDir}/glyphlab.db`);
      expect(report.problems, `kill ${k}`).toEqual([]);
      const db = new Database(`${dataDir}/glyphlab.db`, { readonly: true });
      try {
        // Every confirmed correction: its sample, labelled, with an 'ocr' edit and its history row.
        const q = db.prepare(
          `SELECT s.label, (SELECT count(*) FROM sample_history h JOIN edits e ON e.id = h.edit_id WHERE h.sample_id = s.id AND e.reason = 'ocr') AS edits
           FROM samples s WHERE s.id = ?`,
        );
        for (const id of confirmed) expect(q.get(id), `sample ${id}`).toEqual({ label: 'K', edits: 1 });
        // And nothing half-done: no OCR sample left unlabelled (created without its edit).
        const unlabeled = db.prepare(`SELECT count(*) FROM samples s JOIN import_batches b ON b.id = s.batch_id WHERE b.format = 'ocr' AND s.label IS NULL`).pluck().get();
        expect(unlabeled).toBe(0);
      } finally {
        db.close();
      }
      log.push(`kill ${k} after ${ids.length} corrections: ok (${report.samples} samples)`);
    }
    log.unshift(`${KILLS}/${KILLS} kill points survived, ${confirmed.length} confirmed corrections all present`);
  }, 600_000);
});
