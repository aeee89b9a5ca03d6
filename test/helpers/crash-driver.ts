/**
 * Child process for the crash tests: opens a core on a data folder and drives it through its handlers
 * (validated like UI calls), printing one JSON line per step so the parent knows where it is when it
 * kills it with SIGKILL. Bundled by crash-harness.ts; run as `node driver.mjs <op> <json args>`.
 */
import { createCore } from '../../main/core';
import { dispatch } from '../../main/common/rpc/server';
import { encodeGrayPng } from '../../main/core/imaging/png';
import type { Input, Output, RequestName } from '../../main/common/contract';

const [op, json] = process.argv.slice(2);
const args = JSON.parse(json ?? '{}') as Record<string, unknown> & { dataDir: string };

function line(ev: string, data: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ev, t: Date.now(), ...data })}\n`);
}

const core = createCore({ dataDir: args.dataDir, backend: 'cpu' });
const call = <K extends RequestName>(method: K, params: Input<K>) =>
  dispatch(core.handlers, method, params, { signal: new AbortController().signal }) as Promise<Output<K>>;

/** Starts a job through `start` and waits for its job.finished event. */
async function job(start: () => Promise<{ jobId: string }>): Promise<Record<string, unknown>> {
  let id: string | null = null;
  const early: Record<string, unknown>[] = [];
  let resolve!: (v: Record<string, unknown>) => void;
  const finished = new Promise<Record<string, unknown>>((r) => (resolve = r));
  const off = core.onEvent((name, payload) => {
    const p = payload as Record<string, unknown>;
    if (name === 'job.progress') line('progress', { done: p.done, total: p.total });
    if (name !== 'job.finished') return;
    if (id === null) early.push(p);
    else if (p.id === id) resolve(p);
  });
  id = (await start()).jobId;
  const hit = early.find((p) => p.id === id);
  if (hit) resolve(hit);
  const result = await finished;
  off();
  return result;
}

async function main(): Promise<void> {
  line('ready', { pid: process.pid });
  switch (op) {
    case 'import': {
      const fin = await job(() => call('dataset.import', { paths: args.paths as string[], format: 'auto' }));
      line('finished', { status: fin.status, result: fin.result, error: fin.error });
      break;
    }
    case 'relabel': {
      // Bulk relabels of every live sample, alternating labels; each one is one edit.
      const { ids } = await call('dataset.ids', {});
      const labels = (args.labels as string[]) ?? ['A', 'B'];
      for (let i = 0; i < (args.rounds as number); i++) {
        const r = await call('dataset.relabel', { ids, label: labels[i % labels.length]!, reason: 'bulk' });
        line('committed', { editId: r.editId, changed: r.changed, label: labels[i % labels.length] });
      }
      break;
    }
    case 'edits': {
      // Bulk relabels of every live sample (alternating labels), each followed by a manual backup.
      const { ids } = await call('dataset.ids', {});
      const labels = (args.labels as string[]) ?? ['A', 'B'];
      for (let i = 0; i < (args.rounds as number); i++) {
        const r = await call('dataset.relabel', { ids, label: labels[i % labels.length]!, reason: 'bulk' });
        line('committed', { editId: r.editId, changed: r.changed, label: labels[i % labels.length] });
        const b = await call('backup.create', {});
        line('backup', { name: b.name });
      }
      break;
    }
    case 'train': {
      // One training (or the resumption of one) to the end; epoch lines tell the parent where it is.
      const off = core.onEvent((name, payload) => {
        const p = payload as { phase?: string; epoch?: number; runId?: number };
        if (name === 'training.progress' && p.phase === 'epoch') line('epoch', { epoch: p.epoch, runId: p.runId });
      });
      const fin = await job(async () => {
        const started = await call('training.start', {
          config: args.config as Input<'training.start'>['config'],
          allowSlow: true,
          ...(args.resumeRunId ? { resumeRunId: args.resumeRunId as number } : {}),
        });
        line('started', { runId: started.runId, backend: started.backend.name });
        return started;
      });
      off();
      line('finished', { status: fin.status, result: fin.result, error: fin.error });
      break;
    }
    case 'ocr-correct': {
      // Corrected OCR characters, each a new labeled sample (crop → sample + image + 'ocr' edit).
      const start = (args.start as number) ?? 0;
      for (let i = start; i < start + (args.rounds as number); i++) {
        const px = new Uint8Array(28 * 28);
        for (let y = 6; y < 22; y++) px[y * 28 + 6 + (i % 15)] = 255;
        for (let b = 0; b < 20; b++) if ((i >> b) & 1) px[26 * 28 + 4 + b] = 200;
        const r = await call('ocr.correct', { crop: encodeGrayPng(px, 28, 28).toString('base64'), label: 'K', source: 'scan.png', page: 0, box: [i, 0, 10, 10] });
        line('committed', { sampleId: r.sampleId, editId: r.editId, created: r.created });
      }
      break;
    }
    case 'backup': {
      for (let i = 0; i < (args.rounds as number); i++) {
        const b = await call('backup.create', {});
        line('committed', { name: b.name });
      }
      break;
    }
    case 'tour': {
      // Every path that could reach for the network: app info, import, training (worker thread),
      // evaluation and prediction (inference runtimes), OCR of a page, a backup.
      const info = await call('app.info', {});
      line('step', { step: 'app.info', backend: info.backend.name });
      const imp = await job(() => call('dataset.import', { paths: args.paths as string[], format: 'auto' }));
      line('step', { step: 'import', status: imp.status });
      const trained = await job(() =>
        call('training.start', { config: args.config as Input<'training.start'>['config'], allowSlow: true, name: 'tour' }),
      );
      line('step', { step: 'train', status: trained.status, error: trained.error });
      const modelId = (trained.result as { modelId: number }).modelId;
      const evaluated = await job(() => call('evaluation.start', { modelId, split: 'validation' }));
      line('step', { step: 'evaluate', status: evaluated.status, error: evaluated.error });
      const predicted = await job(() => call('evaluation.predict', { modelId }));
      line('step', { step: 'predict', status: predicted.status, error: predicted.error });
      const model = (await call('models.get', { id: modelId })).dir;
      const ocr = await call('ocr.run', { paths: args.pages as string[], model });
      line('step', { step: 'ocr', pages: ocr.documents.reduce((a, d) => a + d.pages.length, 0), runtime: ocr.model.runtime });
      const b = await call('backup.create', {});
      line('step', { step: 'backup', name: b.name });
      break;
    }
    case 'net-probe': {
      // The control for the network test: what an app reaching out would do.
      for (const url of args.urls as string[]) {
        try {
          await fetch(url, { signal: AbortSignal.timeout(2000) });
          line('step', { step: 'fetch', url, ok: true });
        } catch (e) {
          line('step', { step: 'fetch', url, error: (e as Error).message });
        }
      }
      // A raw socket, as an HTTP client library would open.
      const net = await import('node:net');
      try {
        net.connect(80, '192.0.2.3').on('error', () => undefined).destroy();
      } catch (e) {
        line('step', { step: 'connect', error: (e as Error).message });
      }
      // And from a worker thread, as the training worker would.
      const { Worker } = await import('node:worker_threads');
      const code = `fetch(${JSON.stringify(args.workerUrl)}).catch(() => undefined)`;
      await new Promise<void>((resolve) => new Worker(code, { eval: true }).on('exit', () => resolve()));
      line('step', { step: 'worker-fetch' });
      break;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
  await core.close();
  // Peak resident memory of this process (kB), for the memory bounds of the hostile-input tests.
  line('exit', { maxRSS: process.resourceUsage().maxRSS });
}

main().catch((e) => {
  line('error', { message: (e as Error).message, type: (e as { type?: string }).type });
  process.exitCode = 1;
});
