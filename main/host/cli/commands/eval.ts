import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Command, Option } from 'commander';
import { IMPORT_FORMATS, SPLITS, type ImportFormat, type Split } from '../../../common/contract/dataset';
import { GlyphError } from '../../../common/errors';
import { readDbSource } from '../../../core/evaluation/db-source';
import { evaluateModel } from '../../../core/evaluation/evaluate';
import { readFileSource } from '../../../core/evaluation/file-source';
import { buildNotes, buildReport, formatReport } from '../../../core/evaluation/report';
import type { SampleSource } from '../../../core/evaluation/source';
import { loadClassifier } from '../../../core/ml/inference/load';
import { printJson } from '../context';
import { createProgress } from '../progress';

interface EvalOpts {
  model: string;
  db?: string;
  split: Split;
  format: ImportFormat;
  transposed?: boolean;
  runtime: 'onnx' | 'tfjs';
  batch: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `glyphlab eval --model <dir> <path...> [--json]` or `--db <file> --split test`: metrics of a model
 * on any importable data, read directly (nothing is stored). Labels outside the model's classes
 * are skipped and reported (stderr; with --json also a `{skipped, skippedLabels, ...}` line just
 * before the report); the last stdout line is the JSON report `{accuracy, macroF1, perClass,
 * confusion, classes, n}` with --json.
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model on IDX/CSV/image folders or a split of a dataset (nothing is stored)')
    .argument('[path...]', 'IDX images files (labels file next to them), CSV files, class folders or images')
    .requiredOption('--model <dir>', 'model folder (metadata.json, model.json, optional model.onnx)')
    .option('--db <file>', 'evaluate on a glyphlab database instead of files (opened read-only)')
    .addOption(new Option('--split <split>', 'split of the database to evaluate').choices(SPLITS).default('test'))
    .addOption(new Option('--format <format>', 'input format of the paths').choices(IMPORT_FORMATS).default('auto'))
    .option('--transposed', 'IDX images are stored transposed (EMNIST distribution files)')
    .addOption(new Option('--runtime <runtime>', 'preferred inference runtime').choices(['onnx', 'tfjs']).default('onnx'))
    .option('--batch <n>', 'images per inference batch', '256')
    .option('--json', 'print the report as one JSON line (last line of stdout)')
    .option('--quiet', 'no progress')
    .action(async (paths: string[], opts: EvalOpts) => {
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536) throw new GlyphError('validation', `--batch must be an integer 1..65536, got '${opts.batch}'`);
      if (!opts.db && paths.length === 0) throw new GlyphError('validation', 'eval: give files or folders to evaluate on, or --db <file> --split <split>');
      if (opts.db && paths.length) throw new GlyphError('validation', 'eval: give either paths or --db, not both');
      const quiet = Boolean(opts.quiet || opts.json);
      const classifier = await loadClassifier(path.resolve(opts.model), { prefer: opts.runtime, maxBatch: batchSize });
      process.stderr.write(`eval: ${classifier.runtime} (${classifier.reason}); ${[...classifier.classes].length} classes, input ${classifier.inputSize}px\n`);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      let db: Database.Database | null = null;
      try {
        let source: SampleSource;
        if (opts.db) {
          const file = path.resolve(opts.db);
          if (!fs.existsSync(file)) throw new GlyphError('not_found', `${file}: no such database`);
          try {
            db = new Database(file, { readonly: true, fileMustExist: true });
            source = readDbSource(db, opts.split, classifier.classes);
          } catch (e) {
            if (e instanceof GlyphError) throw e;
            throw new GlyphError('bad_input', `${file}: cannot read samples (${(e as Error).message})`);
          }
        } else {
          const resolved = paths.map((p) => path.resolve(p));
          const missing = resolved.filter((p) => !fs.existsSync(p));
          if (missing.length) throw new GlyphError('not_found', missing.map((m) => `${m}: no such file or folder`).join('; '));
          const reading = createProgress('reading', { quiet });
          source = await readFileSource(resolved, classifier.classes, {
            format: opts.format,
            transposed: opts.transposed,
            signal: controller.signal,
            progress: (done, total) => reading.update(done, total),
          });
          reading.done();
        }
        reportProblems(source);
        if (source.items.length === 0) throw new GlyphError('bad_input', `eval: no labelled samples of the model's classes in ${opts.db ?? paths.join(', ')}`);
        const bar = createProgress('eval', { quiet });
        const ev = await evaluateModel(classifier, source, {
          batchSize,
          signal: controller.signal,
          progress: (done, total, sps) => bar.update(done, total, `${Math.round(sps)} samples/s`),
        });
        bar.done();
        const report = buildReport(ev);
        const notes = buildNotes(ev, source);
        if (opts.json) {
          // The report is the last line; what was skipped (and how it ran) the line before.
          printJson(notes);
          printJson(report);
        } else process.stdout.write(`${formatReport(report, notes)}\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        db?.close();
        await classifier.dispose();
      }
    });
}

function reportProblems(source: SampleSource): void {
  const s = source.skipped;
  if (s.count) {
    const labels = Object.entries(s.byLabel)
      .sort((a, b) => b[1] - a[1])
      .map(([l, n]) => `'${l}' ×${n}`)
      .join(', ');
    process.stderr.write(`eval: skipped ${s.count} samples whose label is not one of the model's classes (${labels})\n`);
    for (const ex of s.examples) process.stderr.write(`  e.g. ${ex.source}: label '${ex.label}'\n`);
  }
  if (source.errors.length) {
    process.stderr.write(`eval: ${source.errors.length} problems reading the data:\n`);
    for (const e of source.errors.slice(0, 10)) process.stderr.write(`  ${e.file}: ${e.reason}\n`);
  }
}
