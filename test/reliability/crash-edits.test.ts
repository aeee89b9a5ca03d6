import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { backupDir, KEEP_BACKUPS } from '../../main/core/backup/files';
import { brokenBackups, checkAfterCrash } from '../helpers/crash-invariants';
import { LONG, runDriver } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';
import { seedSamples } from './support/db';

const N = LONG ? 20_000 : 5000;
const KILLS = LONG ? 20 : 4;

describe('SIGKILL during bulk relabels and backups', () => {
  let work: ReturnType<typeof tmpDir>;
  let dataDir: string;
  let dbFile: string;
  const log: string[] = [];
  beforeAll(async () => {
    work = tmpDir('glyphlab-crash-edits-');
    dataDir = work.dir;
    const core = createCore({ dataDir });
    dbFile = core.dbPath;
    const db = new Database(dbFile);
    seedSamples(db, N, { label: 'C' });
    db.close();
    await core.close();
  });
  afterAll(() => {
    console.log(`crash edits: ${log.join('; ')}`);
    work.cleanup();
  });

  function labelState() {
    const db = new Database(dbFile, { readonly: true });
    try {
      return {
        labels: db.prepare('SELECT DISTINCT label FROM samples').pluck().all() as string[],
        lastEdit: db.prepare(`SELECT new_value FROM sample_history WHERE edit_id = (SELECT max(id) FROM edits)`).pluck().get() as string | undefined,
        perEdit: db.prepare('SELECT count(*) AS n FROM sample_history GROUP BY edit_id').pluck().all() as number[],
      };
    } finally {
      db.close();
    }
  }

  it(`relabels are all-or-nothing and backups never look whole when half-written, at ${KILLS} kill points`, async () => {
    const dir = backupDir(dataDir);
    let confirmed = 0;
    let backups = 0;
    let partials = 0;
    let survived = 0;
    for (let k = 0; k < KILLS; k++) {
      const labels = labelState().labels[0] === 'A' ? ['B', 'A'] : ['A', 'B'];
      // Kill a random time after a random step (start, a relabel or a backup): kills land inside both.
      const after = Math.floor(Math.random() * 4);
      let seen = 0;
      const run = await runDriver('edits', { dataDir, rounds: 500, labels }, {
        killWhen: () => (seen++ === after ? Math.random() * 1000 : false),
      });
      expect(run.killed, `kill ${k}: the driver ended before the kill (${run.stderr.slice(-500)})`).toBe(true);
      confirmed += run.lines.filter((l) => l.ev === 'committed').length;
      backups += run.lines.filter((l) => l.ev === 'backup').length;
      // Before anything cleans up: whatever carries a backup's name is an intact database.
      expect(brokenBackups(dir), `kill ${k}`).toEqual([]);
      partials += fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.partial')).length : 0;

      // The app opens it again (not damaged) and removes half-written backups; the invariants hold.
      await createCore({ dataDir }).close();
      if (fs.existsSync(dir)) expect(fs.readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
      const report = checkAfterCrash(dbFile);
      expect(report.problems, `kill ${k}`).toEqual([]);
      expect(report.samples).toBe(N);
      // Every confirmed edit is there, each with one history row per sample, and the labels are those
      // of the last edit: never a mix.
      expect(report.edits).toBeGreaterThanOrEqual(confirmed);
      const state = labelState();
      expect(state.perEdit.every((n) => n === N)).toBe(true);
      expect(state.labels).toHaveLength(1);
      if (report.edits > 0) expect(state.labels[0]).toBe(state.lastEdit);
      survived++;
    }
    const kept = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^glyphlab-(manual|daily|migration)-/.test(f)) : [];
    expect(kept.length).toBeLessThanOrEqual(KEEP_BACKUPS);
    log.push(
      `${survived}/${KILLS} kill points survived (${confirmed} bulk relabels of ${N} samples and ${backups} backups confirmed; ` +
        `${partials} half-written backups found under their temp name and removed at the next start)`,
    );
  }, 600_000);
});
