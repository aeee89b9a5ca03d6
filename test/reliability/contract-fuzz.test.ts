import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, type RequestName } from '../../main/common/contract';
import { ERROR_TYPES, serializeError } from '../../main/common/errors';
import { dispatch } from '../../main/common/rpc/server';
import { tmpCore } from '../helpers/tmp';
import { checkpoint, hashFile, seedSamples } from './support/db';
import { validish } from './support/from-zod';
import { hostileParams } from './support/hostile';

const LONG = process.env.GLYPHLAB_LONG_TESTS === '1';
const RUNS = LONG ? 1000 : 50;
const VALID_RUNS = LONG ? 300 : 25;
const SEED = Number(process.env.GLYPHLAB_FUZZ_SEED ?? Date.now() % 2 ** 31);

const isEmptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Reflect.ownKeys(v).length === 0;

function fuzzEveryRequest(title: string, arbFor: (name: RequestName, tmp: string) => fc.Arbitrary<unknown>, runs: number) {
describe(title, () => {
  let app: ReturnType<typeof tmpCore>;
  let side: Database.Database;
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const counts = { cases: 0, validation: 0, otherErrors: 0, results: 0 };

  beforeAll(() => {
    app = tmpCore();
    side = new Database(app.core.dbPath);
    seedSamples(side, 30);
    checkpoint(side);
  });
  afterAll(async () => {
    side.close();
    await app.close();
    console.log(
      `contract fuzz (${title}): ${counts.cases} cases over ${Object.keys(requests).length} requests (seed ${SEED}, ${runs} runs each): ` +
        `${counts.validation} validation errors, ${counts.otherErrors} other typed errors, ${counts.results} results`,
    );
  });

  /** Waits for jobs a valid-by-chance call may have started (cancelling them after a while). */
  async function settleJobs() {
    const t0 = Date.now();
    for (;;) {
      const running = app.core.handlers['jobs.list']({}, { signal: new AbortController().signal }) as { id: string; status: string }[];
      const busy = (await running).filter((j) => j.status === 'running');
      if (busy.length === 0) return;
      if (Date.now() - t0 > 10_000) for (const j of busy) await app.call('jobs.cancel', { id: j.id });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  function dbHash(): string {
    checkpoint(side);
    return hashFile(app.core.dbPath);
  }

  for (const name of Object.keys(requests) as RequestName[]) {
    it(name, async () => {
      const arb = arbFor(name, app.dir);
      await fc.assert(
        fc.asyncProperty(arb, async (params) => {
          counts.cases++;
          const before = dbHash();
          let outcome: { ok: true } | { ok: false; type: string; message: string };
          try {
            await dispatch(app.core.handlers, name, params, { signal: new AbortController().signal });
            outcome = { ok: true };
          } catch (e) {
            const s = serializeError(e);
            outcome = { ok: false, type: s.type, message: s.message };
          }
          await settleJobs();
          if (!outcome.ok) {
            expect(ERROR_TYPES).toContain(outcome.type);
            expect(outcome.type, outcome.message).not.toBe('internal');
            expect(outcome.message.length).toBeLessThan(2000);
            // A refused call wrote nothing.
            expect(dbHash()).toBe(before);
            if (outcome.type === 'validation') counts.validation++;
            else counts.otherErrors++;
          } else {
            counts.results++;
          }
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(typeof ({} as object).toString).toBe('function');
        }),
        { numRuns: runs, seed: SEED, endOnFailure: true },
      );
    });
  }
});
}

// Wrong types, missing and extra fields, huge and deep values, polluting keys: refused by validation.
fuzzEveryRequest('every request survives hostile arguments', (name) => hostileParams(requests[name].input).filter((p) => !isEmptyObject(p)), RUNS);

// Well-typed arguments at and within their bounds (paths inside the temp folder): they reach the
// handlers, which answer with a result or a typed error, and write nothing when they refuse.
fuzzEveryRequest('every request answers well-typed arguments with a result or a typed error', (name, tmp) => validish(requests[name].input, tmp), VALID_RUNS);
