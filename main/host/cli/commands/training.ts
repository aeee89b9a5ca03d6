import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { GlyphError } from '../../../common/errors';
import type { EventPayload, TrainConfigInput } from '../../../common/contract';
import type { Core } from '../../../core';
import type { BackendPreference } from '../../../core/ml/backends';
import { call, openCore, printJson } from '../context';
import { createProgress } from '../progress';

/** train, eval (issue: training and evaluation): one register function per command. */
export function registerTrainingCommands(program: Command): void {
  registerTrain(program);
}

interface TrainOptions {
  db?: string;
  out: string;
  epochs?: string;
  batch?: string;
  input?: string;
  lr?: string;
  lrSchedule?: string;
  patience?: string;
  limit?: string;
  seed?: string;
  labelSmoothing?: string;
  balance?: string;
  augment: boolean | string;
  valFraction?: string;
  model?: string;
  name?: string;
  resume?: string;
  init?: string;
  backend: BackendPreference;
  json?: boolean;
}

function int(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new GlyphError('validation', `${flag}: '${v}' is not an integer`);
  return n;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new GlyphError('validation', `${flag}: '${v}' is not a number`);
  return n;
}

function trainConfig(o: TrainOptions): TrainConfigInput {
  const json = (flag: string, v: string) => {
    try {
      return JSON.parse(fs.existsSync(v) ? fs.readFileSync(v, 'utf8') : v) as Record<string, unknown>;
    } catch (e) {
      throw new GlyphError('validation', `${flag}: not JSON (${(e as Error).message})`);
    }
  };
  const model = o.model ? json('--model', o.model) : undefined;
  const augment = o.augment === false ? { enabled: false } : typeof o.augment === 'string' ? json('--augment', o.augment) : undefined;
  const cfg: TrainConfigInput = {
    epochs: int('--epochs', o.epochs),
    batchSize: int('--batch', o.batch),
    inputSize: int('--input', o.input),
    learningRate: num('--lr', o.lr),
    lrSchedule: o.lrSchedule as TrainConfigInput['lrSchedule'],
    patience: int('--patience', o.patience),
    limit: int('--limit', o.limit),
    seed: int('--seed', o.seed),
    labelSmoothing: num('--label-smoothing', o.labelSmoothing),
    balance: o.balance as TrainConfigInput['balance'],
    validationFraction: num('--val-fraction', o.valFraction),
    augment,
    model,
    backend: o.backend,
    initFrom: o.init === undefined ? undefined : path.resolve(o.init),
  };
  return Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined)) as TrainConfigInput;
}

type Finished = EventPayload<'job.finished'>;

function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a character recognizer on the database’s samples and write the model folder')
    .requiredOption('--out <dir>', 'model folder to write (must not exist or be empty)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--epochs <n>', 'epochs (default 10)')
    .option('--batch <n>', 'batch size (default 64)')
    .option('--input <n>', 'network input size in pixels (default 28)')
    .option('--lr <x>', 'learning rate (default 0.001)')
    .option('--lr-schedule <name>', 'constant (default) | cosine (decays to 1% of --lr by the last epoch; for long runs) | onecycle (rises to --lr, then decays; for the batch-normalized network)')
    .option('--patience <n>', 'early stopping: epochs without a better validation loss (0: off; default 3)')
    .option('--limit <n>', 'use at most this many training samples (quick runs)')
    .option('--seed <n>', 'random seed')
    .option('--label-smoothing <x>', 'aim the loss at 1 - x for the true class (0..0.3; default 0)')
    .option('--balance <mode>', 'class imbalance: weights|sampling|none (default weights)')
    .option('--augment <json>', 'augmentation settings as JSON (rotation, shift, scale, thickness, noise, shear, fill, elastic, blur, fade, crop)')
    .option('--no-augment', 'no augmentation')
    .option('--val-fraction <x>', 'share of train held out for validation when there is no validation split (default 0.1)')
    .option('--model <json>', 'network settings as JSON or a JSON file (filters, dense, dropout...)')
    .option('--name <name>', 'model name')
    .option('--resume <runId>', 'continue an interrupted run from its last checkpoint')
    .option('--init <modelDir>', 'fine-tune: start from this model folder’s weights (same classes, input size and network)')
    .option('--backend <name>', 'auto|node|wasm|cpu', 'auto')
    .option('--json', 'one JSON object per epoch on stdout, then a summary line')
    .action(async (opts: TrainOptions) => {
      const out = path.resolve(opts.out);
      if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
        throw new GlyphError('bad_input', `--out ${out}: exists and is not an empty folder`);
      }
      if (opts.db && !fs.existsSync(opts.db)) throw new GlyphError('not_found', `--db ${opts.db}: no such file`);
      const core = openCore({ db: opts.db, backend: opts.backend });
      try {
        await train(core, opts, out);
      } finally {
        await core.close();
      }
    });
}

async function train(core: Core, opts: TrainOptions, out: string): Promise<void> {
  const bar = createProgress('train', { quiet: opts.json });
  const finished = new Map<string, Finished>();
  const waiters = new Map<string, (f: Finished) => void>();
  let jobId = '';
  let saidBackend = false;
  core.onEvent((name, payload) => {
    if (name === 'job.progress') {
      // The worker's own description (threads, SIMD kernels) comes with its first progress: the
      // start reply only knows what the main process probed. stderr, so --json's stdout is unchanged.
      const p = payload as EventPayload<'job.progress'>;
      const backend = (p.data as { backend?: { name?: unknown; reason?: unknown } } | undefined)?.backend;
      if (p.id === jobId && !saidBackend && typeof backend?.name === 'string' && typeof backend.reason === 'string') {
        saidBackend = true;
        process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}train: the worker trains on ${backend.name} (${backend.reason})\n`);
      }
    } else if (name === 'job.finished') {
      const f = payload as Finished;
      finished.set(f.id, f);
      waiters.get(f.id)?.(f);
    } else if (name === 'training.progress') {
      const p = payload as EventPayload<'training.progress'>;
      if (p.jobId !== jobId) return;
      if (p.phase === 'epoch' && opts.json) {
        printJson({
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
          accuracy: p.accuracy,
          valLoss: p.valLoss,
          valAccuracy: p.valAccuracy,
          samplesPerSec: p.samplesPerSec,
          etaSeconds: p.etaSeconds,
          learningRate: p.learningRate,
          backend: p.backend,
        });
      } else if (p.phase === 'epoch') {
        const val = p.valAccuracy === null ? '' : `  val loss ${p.valLoss?.toFixed(4)} acc ${(p.valAccuracy * 100).toFixed(2)}%`;
        bar.done(`epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)} acc ${(p.accuracy * 100).toFixed(2)}%${val}  ${p.samplesPerSec.toFixed(0)} samples/s`);
      } else {
        const done = (p.epoch - 1) * p.batches + p.batch;
        bar.update(done, p.epochs * p.batches, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} acc ${(p.accuracy * 100).toFixed(1)}% ${p.samplesPerSec.toFixed(0)}/s`);
      }
    }
  });
  const resume = int('--resume', opts.resume);
  const started = await call(core, 'training.start', {
    config: trainConfig(opts),
    ...(opts.name ? { name: opts.name } : {}),
    ...(resume !== undefined ? { resumeRunId: resume } : {}),
    allowSlow: true,
  });
  jobId = started.jobId;
  if (started.warning) process.stderr.write(`glyphlab: warning: ${started.warning}\n`);
  if (!opts.json) process.stderr.write(`train: run ${started.runId} on ${started.backend.name} (${started.backend.reason})\n`);

  // Ctrl-C (or SIGTERM): finish early, keeping the best model so far; a second one cancels at once.
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    process.stderr.write(
      interrupts === 1 ? '\ntrain: finishing early after this batch, keeping the model (again to cancel)\n' : '\ntrain: cancelling now\n',
    );
    void call(core, 'training.cancel', { runId: started.runId, keep: interrupts === 1, force: interrupts > 1 });
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let result: Finished;
  try {
    result = await new Promise<Finished>((resolve) => {
      const f = finished.get(jobId);
      if (f) resolve(f);
      else waiters.set(jobId, resolve);
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  bar.done();
  if (result.status !== 'done') {
    const msg = result.error?.message ?? result.status;
    const type = (result.error?.type ?? 'internal') as GlyphError['type'];
    throw new GlyphError(type, `${msg}${result.status !== 'failed' ? '' : ''} (resume with --resume ${started.runId} if a checkpoint was written)`);
  }
  const r = result.result as { modelId: number; backend: string; epochs: number; trainSamplesPerSec: number; valAccuracy: number | null; testAccuracy: number | null };
  const { dir } = await call(core, 'models.export', { id: r.modelId, out });
  if (opts.json) {
    printJson({ model: dir, backend: r.backend, epochs: r.epochs, trainSamplesPerSec: r.trainSamplesPerSec, valAccuracy: r.valAccuracy });
  } else {
    const test = r.testAccuracy === null ? '' : `, test accuracy ${(r.testAccuracy * 100).toFixed(2)}%`;
    const val = r.valAccuracy === null ? '' : `, validation accuracy ${(r.valAccuracy * 100).toFixed(2)}%`;
    console.log(`model written to ${dir} (${r.epochs} epochs on ${r.backend}, ${r.trainSamplesPerSec.toFixed(0)} samples/s${val}${test})`);
  }
}
