import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { EventPayload, ImproveReport } from '../../../common/contract';
import { GlyphError } from '../../../common/errors';
import { call, openCore, printJson } from '../context';
import { createProgress } from '../progress';

interface ImproveOptions {
  db?: string;
  out: string;
  from?: string;
  epochs?: string;
  replay: boolean;
  json?: boolean;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);

/** `glyphlab improve`: fine-tune the active model on the samples from documents, activate it if better. */
export function registerImproveCommand(program: Command): void {
  program
    .command('improve')
    .description('fine-tune the model on the samples from your documents (corrections, transcripts) keeping what it knew; it becomes active only if better')
    .requiredOption('--out <dir>', 'folder to write the new model to (must not exist or be empty)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--from <modelDir>', 'start from this model (default: the active model, else the bundled default)')
    .option('--epochs <n>', 'epochs (default 4)')
    .option('--no-replay', 'do not replay the base tiles (the document samples alone)')
    .option('--json', 'the report as JSON, the summary as the last line')
    .action(async (opts: ImproveOptions) => {
      const out = path.resolve(opts.out);
      if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
        throw new GlyphError('bad_input', `--out ${out}: exists and is not an empty folder`);
      }
      if (opts.db && !fs.existsSync(opts.db)) throw new GlyphError('not_found', `--db ${opts.db}: no such file`);
      const epochs = opts.epochs === undefined ? undefined : Number(opts.epochs);
      if (epochs !== undefined && !Number.isInteger(epochs)) throw new GlyphError('validation', `--epochs: '${opts.epochs}' is not an integer`);
      const core = openCore({ db: opts.db });
      const bar = createProgress('improve', { quiet: opts.json });
      try {
        // Every job's end is kept: a job may end before its id is known here.
        const ended = new Map<string, EventPayload<'job.finished'>>();
        let wake = () => {};
        core.onEvent((name, payload) => {
          if (name === 'job.finished') {
            const f = payload as EventPayload<'job.finished'>;
            ended.set(f.id, f);
            wake();
          } else if (name === 'training.progress') {
            const p = payload as EventPayload<'training.progress'>;
            bar.update((p.epoch - 1) * p.batches + p.batch, p.epochs * p.batches, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`);
          }
        });
        const started = await call(core, 'learn.improve', {
          ...(opts.from ? { from: path.resolve(opts.from) } : {}),
          ...(epochs !== undefined ? { epochs } : {}),
          replay: opts.replay,
        });
        const jobId = started.jobId;
        if (!ended.has(jobId)) await new Promise<void>((resolve) => (wake = () => ended.has(jobId) && resolve()));
        const f = ended.get(jobId)!;
        bar.done();
        if (f.status !== 'done') throw new GlyphError((f.error?.type ?? 'internal') as GlyphError['type'], f.error?.message ?? f.status);
        const r = f.result as ImproveReport;
        const { dir } = await call(core, 'models.export', { id: r.modelId, out });
        if (opts.json) {
          printJson(r);
          printJson({ model: dir, base: { before: r.base.before, after: r.base.after }, documents: { before: r.documents.before, after: r.documents.after }, activated: r.activated });
        } else {
          console.log(`model written to ${dir}`);
          console.log(`base test tiles (${r.base.n}): ${pct(r.base.before)} -> ${pct(r.base.after)}`);
          console.log(`held-back document samples (${r.documents.n}): ${pct(r.documents.before)} -> ${pct(r.documents.after)}`);
          console.log(r.reason);
        }
      } finally {
        await core.close();
      }
    });
}
