import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { ExportSummary, ImportFormat, ImportProgress, ImportSummary, Split } from '../../../common/contract/dataset';
import { EXPORT_FORMATS, IMPORT_FORMATS, SPLITS } from '../../../common/contract/dataset';
import { GlyphError, isGlyphError } from '../../../common/errors';
import type { Core } from '../../../core';
import { call, openCore, printJson } from '../context';
import { createProgress } from '../progress';

/**
 * Waits for a job started by `start` (subscribed before it starts, so no event is missed), showing its
 * progress. Ctrl-C cancels the job; what was committed stays.
 */
async function runJob<R>(
  core: Core,
  label: string,
  quiet: boolean,
  start: () => Promise<{ jobId: string }>,
  onData?: (data: unknown) => void,
): Promise<R> {
  const bar = createProgress(label, { quiet });
  let jobId: string | null = null;
  const early: { name: string; payload: unknown }[] = [];
  let settle: ((name: string, payload: unknown) => void) | null = null;
  const off = core.onEvent((name, payload) => {
    if (jobId === null) early.push({ name, payload });
    else settle?.(name, payload);
  });
  const onSigint = () => {
    if (jobId) void call(core, 'jobs.cancel', { id: jobId }).catch(() => undefined);
  };
  process.once('SIGINT', onSigint);
  try {
    return await new Promise<R>((resolve, reject) => {
      settle = (name, payload) => {
        const p = payload as { id?: string; done?: number; total?: number | null; message?: string; status?: string; result?: R; error?: { message: string; type: string } };
        if (p.id !== jobId) return;
        if (name === 'job.progress') {
          bar.update(p.done ?? 0, p.total ?? null, p.message);
          if ((p as { data?: unknown }).data !== undefined) onData?.((p as { data?: unknown }).data);
        }
        else if (name === 'job.finished') {
          bar.done();
          if (p.status === 'done') resolve(p.result as R);
          else reject(new GlyphError(p.error?.type === 'cancelled' ? 'cancelled' : 'internal', p.error?.message ?? `${label} ${p.status}`));
        }
      };
      start().then(({ jobId: id }) => {
        jobId = id;
        for (const e of early.splice(0)) settle!(e.name, e.payload);
      }, reject);
    });
  } finally {
    off();
    process.removeListener('SIGINT', onSigint);
  }
}

interface ImportOpts {
  db?: string;
  split?: Split;
  format: ImportFormat;
  label?: string;
  transposed?: boolean;
  capitals?: boolean;
  json?: boolean;
}

/** import, export, stats (issue: dataset studio). */
export function registerDatasetCommands(program: Command): void {
  program
    .command('import')
    .description('import images, class folders, MNIST/EMNIST IDX or CSV files into the dataset')
    .argument('<path...>', 'files or folders')
    .option('--db <file>', 'database file (default: the app’s own)')
    .addOption(new Option('--split <split>', 'put every sample in this split (default: from the content hash, 80/10/10)').choices(SPLITS))
    .addOption(new Option('--format <format>', 'input format').choices(IMPORT_FORMATS).default('auto'))
    .option('--label <char>', 'label for single images')
    .option('--transposed', 'IDX images are stored transposed (EMNIST distribution files)')
    .option('--capitals', 'a lowercase class folder whose capital is a class imports as that capital (x/ → X)')
    .option('--json', 'print one JSON summary as the last line')
    .action(async (paths: string[], opts: ImportOpts) => {
      const resolved = paths.map((p) => path.resolve(p));
      const missing = resolved.filter((p) => !fs.existsSync(p));
      if (missing.length === resolved.length) throw new GlyphError('bad_input', `nothing to import: ${missing.map((m) => `${m}: no such file or folder`).join('; ')}`);
      const core = openCore({ db: opts.db });
      try {
        if (opts.label !== undefined) {
          const stats = await call(core, 'dataset.stats', {});
          if (!Array.from(stats.classes).includes(opts.label)) {
            throw new GlyphError('bad_input', `--label '${opts.label}' is not in the class set '${stats.classes}'`);
          }
        }
        // The last progress event of a cancelled import carries what it did before stopping.
        let partial: ImportProgress['summary'] | undefined;
        const print = (summary: Pick<ImportSummary, 'imported' | 'duplicates' | 'errors'>, cancelled: boolean) => {
          if (opts.json) printJson({ imported: summary.imported, duplicates: summary.duplicates, errors: summary.errors, ...(cancelled ? { cancelled } : {}) });
          else {
            console.log(`${cancelled ? 'cancelled: kept ' : ''}imported ${summary.imported} samples, ${summary.duplicates} duplicates skipped, ${summary.errors.length} errors`);
            for (const e of summary.errors.slice(0, 20)) console.log(`  ${e.file}: ${e.reason}`);
            if (summary.errors.length > 20) console.log(`  … ${summary.errors.length - 20} more`);
          }
        };
        let summary: ImportSummary;
        try {
          summary = await runJob<ImportSummary>(
            core,
            'import',
            Boolean(opts.json),
            () =>
              call(core, 'dataset.import', {
                paths: resolved,
                format: opts.format,
                split: opts.split,
                label: opts.label,
                transposed: Boolean(opts.transposed),
                capitals: Boolean(opts.capitals),
              }),
            (data) => {
              const d = data as ImportProgress | null;
              if (d?.summary) partial = d.summary;
            },
          );
        } catch (e) {
          if (isGlyphError(e) && e.type === 'cancelled' && partial) {
            print(partial, true);
            throw new GlyphError('cancelled', `import cancelled; what was imported before stopping stays (${partial.imported} samples)`);
          }
          throw e;
        }
        print(summary, false);
        for (const u of summary.unknownLabels ?? []) {
          process.stderr.write(
            `glyphlab: ${u.count} image${u.count === 1 ? '' : 's'} labeled '${u.label}' skipped: not a class. ` +
              (u.capital ? `Import again with --capitals to label them '${u.capital}', or add the class: glyphlab classes --add '${u.label}'.\n` : `Add the class (glyphlab classes --add '${u.label}') and import again.\n`),
          );
        }
      } finally {
        await core.close();
      }
    });

  program
    .command('classes')
    .description('print the class set (one character a class), or change it')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--add <chars>', 'add these classes at the end (x or xyz)')
    .option('--set <chars>', 'replace the class set')
    .action(async (opts: { db?: string; add?: string; set?: string }) => {
      const core = openCore({ db: opts.db });
      try {
        let classes = (await call(core, 'dataset.stats', {})).classes;
        if (opts.set !== undefined || opts.add !== undefined) {
          const added = Array.from(opts.add ?? '').filter((c) => !Array.from(opts.set ?? classes).includes(c));
          classes = (await call(core, 'dataset.setClasses', { classes: (opts.set ?? classes) + [...new Set(added)].join('') })).classes;
        }
        console.log(classes);
      } finally {
        await core.close();
      }
    });

  program
    .command('export')
    .description('export the labeled samples as class folders (PNG), IDX (+ mapping.txt) or CSV')
    .option('--db <file>', 'database file (default: the app’s own)')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <path>', 'output folder (folder, idx) or file (csv)')
    .option('--gzip', 'IDX: write .gz files')
    .option('--force', 'replace an existing file (or write into a folder that is not empty)')
    .option('--json', 'print one JSON summary as the last line')
    .action(async (opts: { db?: string; format: 'folder' | 'idx' | 'csv'; out: string; gzip?: boolean; force?: boolean; json?: boolean }) => {
      const core = openCore({ db: opts.db });
      try {
        const out = path.resolve(opts.out);
        const summary = await runJob<ExportSummary>(core, 'export', Boolean(opts.json), () =>
          call(core, 'dataset.export', { format: opts.format, out, gzip: Boolean(opts.gzip), overwrite: Boolean(opts.force) }),
        );
        if (opts.json) printJson(summary);
        else console.log(`exported ${summary.exported} samples to ${summary.files.join(', ')} (${summary.skipped} unlabeled skipped)`);
      } finally {
        await core.close();
      }
    });

  program
    .command('stats')
    .description('count samples per class and split')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const core = openCore({ db: opts.db });
      try {
        const s = await call(core, 'dataset.stats', {});
        if (opts.json) printJson({ total: s.total, byClass: s.byClass, bySplit: s.bySplit, unlabeled: s.unlabeled, deleted: s.deleted });
        else {
          console.log(`${s.total} samples (${s.unlabeled} unlabeled, ${s.deleted} deleted)`);
          console.log(`splits: ${Object.entries(s.bySplit).map(([k, v]) => `${k} ${v}`).join(', ')}`);
          console.log(`classes: ${Object.entries(s.byClass).map(([k, v]) => `${k}:${v}`).join(' ')}`);
        }
      } finally {
        await core.close();
      }
    });
}
