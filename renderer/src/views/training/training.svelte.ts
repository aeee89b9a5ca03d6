/**
 * The Training view's state and actions: the settings form, the run being watched (fed by the core's
 * `training.progress` and `job.finished` events), its curves, the past runs and which of them are laid
 * over the live curves for comparison.
 */
import type { EventPayload, TrainConfig, TrainingProgress, TrainingRun } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { Curves } from './curves';
import { describeError as describe, errorMessage, errorType } from '../../lib/errors';
import { expectedBackend, formProblems, loadForm, saveForm, startModels, toConfig, type StartModel, type TrainForm } from './settings';

export type LiveStatus = 'starting' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface LiveRun {
  runId: number;
  jobId: string;
  name: string;
  status: LiveStatus;
  backend: string;
  /** The worker's description of its backend (threads, SIMD and native kernels), once known. */
  backendDetail?: string;
  config: TrainConfig | null;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSec: number | null;
  etaSeconds: number | null;
  message: string | null;
  modelId: number | null;
  startedAt: number;
}

export class TrainingController {
  form = $state<TrainForm>(loadForm());
  runs = $state.raw<TrainingRun[]>([]);
  live = $state<LiveRun | null>(null);
  readonly curves = new Curves();
  /** Bumped whenever `curves` changed (the charts update in place). */
  version = $state(0);
  /** Past runs laid over the live curves. */
  overlays = $state<number[]>([]);
  error = $state<string | null>(null);
  /** Set when starting needs a yes to the cpu backend's slowness; the core's or our own words. */
  slowConfirm = $state<string | null>(null);
  busy = $state(false);
  /** Models a run can start from (fine-tuning). */
  starts = $state.raw<StartModel[]>([]);
  /** The classes a run would train on now (a start model needs the same); null until known. */
  trainClasses = $state<string | null>(null);

  readonly problems: string[] = $derived(formProblems(this.form));
  readonly expectedBackend: string | undefined = $derived(expectedBackend(this.form.backend, core.info?.backend.name));
  readonly running: boolean = $derived(this.live?.status === 'running' || this.live?.status === 'starting');
  /** The newest run that stopped before its end and can go on from its checkpoint. */
  readonly resumable: TrainingRun | undefined = $derived(this.runs.find((r) => r.resumable));

  attach(): () => void {
    const offs = [
      core.on('training.progress', (p) => this.onProgress(p)),
      core.on('job.finished', (p) => this.onFinished(p)),
    ];
    void this.refreshRuns(true);
    void this.refreshStarts();
    return () => offs.forEach((off) => off());
  }

  save(): void {
    saveForm($state.snapshot(this.form) as TrainForm);
  }

  async refreshStarts(): Promise<void> {
    try {
      const [list, cls] = await Promise.all([core.call('models.list', {}), core.call('training.classes', {})]);
      this.starts = startModels(list);
      this.trainClasses = cls.classes;
    } catch {
      // Keep the choice: the list may load next time, and the core checks the folder when a run starts.
      return;
    }
    // A start model that is gone (deleted since) falls back to a new network.
    if (this.form.startFrom && !this.starts.some((m) => m.dir === this.form.startFrom)) {
      this.form.startFrom = '';
      this.save();
    }
  }

  async refreshRuns(adopt = false): Promise<void> {
    try {
      this.runs = await core.call('training.runs', { limit: 50 });
    } catch (e) {
      this.error = describe('Cannot list the training runs', e);
      return;
    }
    const current = this.live ? this.runs.find((r) => r.id === this.live!.runId) : undefined;
    if (current && this.live) {
      this.live.config = current.config;
      this.live.name = current.name;
      if (this.live.status !== 'running' && this.live.status !== 'starting' && current.status !== 'running') {
        this.live.status = current.status;
        this.live.message = current.message ?? this.live.message;
        this.live.modelId = current.modelId;
      }
    }
    if (adopt && !this.live) {
      const active = this.runs.find((r) => r.status === 'running' && r.jobId);
      if (active) this.watch(active);
    }
  }

  /** Watch a run that is running (opened from elsewhere, or after switching views). */
  private watch(run: TrainingRun): void {
    const last = run.history.at(-1);
    this.live = {
      runId: run.id,
      jobId: run.jobId ?? '',
      name: run.name,
      status: run.status === 'running' ? 'running' : run.status,
      backend: run.backend,
      config: run.config,
      epoch: last?.epoch ?? 0,
      epochs: run.config.epochs,
      batch: 0,
      batches: 0,
      loss: last?.loss ?? null,
      accuracy: last?.accuracy ?? null,
      valLoss: last?.valLoss ?? null,
      valAccuracy: last?.valAccuracy ?? null,
      samplesPerSec: last?.samplesPerSec ?? null,
      etaSeconds: null,
      message: run.message,
      modelId: run.modelId,
      startedAt: run.startedAt,
    };
    this.curves.fromHistory(run.history);
    this.version++;
  }

  /** Show a finished run's curves in the main chart. */
  show(run: TrainingRun): void {
    if (this.running) return;
    this.watch(run);
  }

  toggleOverlay(id: number): void {
    this.overlays = this.overlays.includes(id) ? this.overlays.filter((x) => x !== id) : [...this.overlays, id];
  }

  async start(opts: { allowSlow?: boolean; resumeRunId?: number } = {}): Promise<void> {
    this.error = null;
    if (!opts.resumeRunId && this.problems.length) {
      this.error = this.problems.join('; ');
      return;
    }
    if (this.expectedBackend === 'cpu' && !opts.allowSlow) {
      this.slowConfirm = 'Only the cpu backend is available: training will be very slow (many times slower than wasm or native TensorFlow).';
      this.pendingResume = opts.resumeRunId;
      return;
    }
    this.slowConfirm = null;
    this.busy = true;
    this.save();
    try {
      const resumed = opts.resumeRunId !== undefined ? this.runs.find((r) => r.id === opts.resumeRunId) : undefined;
      const started = await core.call('training.start', {
        config: toConfig(this.form),
        ...(this.form.name.trim() ? { name: this.form.name.trim() } : {}),
        ...(opts.resumeRunId !== undefined ? { resumeRunId: opts.resumeRunId } : {}),
        allowSlow: opts.allowSlow ?? false,
      });
      const config = resumed?.config ?? null;
      this.live = {
        runId: started.runId,
        jobId: started.jobId,
        name: resumed?.name ?? (this.form.name.trim() || `run ${started.runId}`),
        status: 'running',
        backend: started.backend.name,
        config,
        epoch: resumed?.history.at(-1)?.epoch ?? 0,
        epochs: resumed?.config.epochs ?? this.form.epochs,
        batch: 0,
        batches: 0,
        loss: null,
        accuracy: null,
        valLoss: null,
        valAccuracy: null,
        samplesPerSec: null,
        etaSeconds: null,
        message: started.warning,
        modelId: null,
        startedAt: Date.now(),
      };
      if (resumed) this.curves.fromHistory(resumed.history);
      else this.curves.clear();
      this.version++;
      // Events that came before the answer.
      for (const p of this.early.filter((x) => x.runId === started.runId)) this.onProgress(p);
      this.early = [];
      await this.refreshRuns();
    } catch (e) {
      if (errorType(e) === 'unsupported' && /allowSlow|slow/i.test(errorMessage(e))) {
        this.slowConfirm = (e as Error).message.replace(/\s*Start again with allowSlow to train anyway\.?/, '');
        this.pendingResume = opts.resumeRunId;
      } else this.error = describe(opts.resumeRunId ? 'Cannot resume the training' : 'Cannot start the training', e);
    } finally {
      this.busy = false;
    }
  }

  /** The resume a cpu confirmation is about. */
  pendingResume: number | undefined = undefined;
  private early: TrainingProgress[] = [];

  confirmSlow(): Promise<void> {
    return this.start({ allowSlow: true, ...(this.pendingResume !== undefined ? { resumeRunId: this.pendingResume } : {}) });
  }

  async cancel(force = false): Promise<void> {
    if (!this.live) return;
    try {
      await core.call('training.cancel', { runId: this.live.runId, force });
    } catch (e) {
      this.error = describe('Cannot cancel the training', e);
    }
  }

  private onProgress(p: EventPayload<'training.progress'>): void {
    const live = this.live;
    if (!live || live.runId !== p.runId) {
      if (this.busy) {
        this.early.push(p);
        return;
      }
      if (live && (live.status === 'running' || live.status === 'starting')) return;
      // A run started elsewhere (another window): follow it.
      this.live = {
        runId: p.runId, jobId: p.jobId, name: `run ${p.runId}`, status: 'running', backend: p.backend, config: null,
        epoch: 0, epochs: p.epochs, batch: 0, batches: 0, loss: null, accuracy: null, valLoss: null, valAccuracy: null,
        samplesPerSec: null, etaSeconds: null, message: null, modelId: null, startedAt: Date.now(),
      };
      this.curves.clear();
      void this.refreshRuns();
      this.onProgress(p);
      return;
    }
    live.status = 'running';
    live.jobId = p.jobId;
    live.backend = p.backend;
    if (p.backendDetail) live.backendDetail = p.backendDetail;
    live.epoch = p.epoch;
    live.epochs = p.epochs;
    live.batch = p.batch;
    live.batches = p.batches;
    live.loss = p.loss;
    live.accuracy = p.accuracy;
    live.samplesPerSec = p.samplesPerSec;
    live.etaSeconds = p.etaSeconds;
    if (p.phase === 'epoch') {
      live.valLoss = p.valLoss;
      live.valAccuracy = p.valAccuracy;
      this.curves.addEpoch(p);
      void this.refreshRuns();
    } else {
      this.curves.addBatch(p.epoch - 1 + (p.batches > 0 ? p.batch / p.batches : 0), p.loss, p.accuracy);
    }
    if (!Number.isFinite(p.loss)) live.message = `The loss is ${p.loss} (not a finite number): try a lower learning rate.`;
    this.version++;
  }

  private onFinished(p: EventPayload<'job.finished'>): void {
    const live = this.live;
    if (!live || p.kind !== 'train' || p.id !== live.jobId) return;
    live.status = p.status;
    live.etaSeconds = null;
    if (p.status === 'done') {
      const r = p.result as { modelId?: number } | undefined;
      live.modelId = r?.modelId ?? null;
      live.message = null;
    } else {
      live.message = p.error?.message ?? (p.status === 'cancelled' ? 'Cancelled' : 'The training failed');
    }
    void this.refreshRuns();
    void this.refreshStarts();
  }
}
