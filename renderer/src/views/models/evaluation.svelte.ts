/**
 * Evaluation of the selected model over a split, on demand: a job with progress and cancel, its
 * result (accuracy, macro-F1, per-class figures, confusion matrix with sample ids per cell).
 */
import type { EvaluationCell, EvaluationResult, EventPayload, Split } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { describeError as describe } from '../../lib/errors';

export class EvaluationState {
  split = $state<Split>('test');
  jobId = $state<string | null>(null);
  done = $state(0);
  total = $state<number | null>(null);
  message = $state('');
  result = $state.raw<EvaluationResult | null>(null);
  error = $state<string | null>(null);
  /** The model the state is about. */
  modelId = $state<number | null>(null);

  readonly running: boolean = $derived(this.jobId !== null);

  attach(): () => void {
    const offs = [
      core.on('job.progress', (p) => {
        if (p.id !== this.jobId) return;
        this.done = p.done;
        this.total = p.total;
        this.message = p.message;
      }),
      core.on('job.finished', (p) => {
        if (p.kind !== 'evaluate') return;
        if (p.id === this.jobId) this.finished(p);
        else if (this.starting) this.early.set(p.id, p);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  private starting = false;
  /** Jobs that ended before evaluation.start answered (tiny splits). */
  private early = new Map<string, EventPayload<'job.finished'>>();

  private finished(p: EventPayload<'job.finished'>): void {
    this.jobId = null;
    if (p.status === 'done') {
      const r = p.result as EvaluationResult;
      if (r.modelId === this.modelId && r.split === this.split) this.result = r;
      this.message = '';
    } else if (p.status === 'cancelled') this.message = 'Evaluation cancelled.';
    else {
      this.message = '';
      this.error = `Evaluation failed: ${p.error?.message ?? 'unknown error'}`;
    }
  }

  /** Show the latest evaluation of this model on this split in this session, if any. */
  async load(modelId: number | null, split: Split): Promise<void> {
    this.modelId = modelId;
    this.split = split;
    this.result = null;
    this.error = null;
    this.message = '';
    if (modelId === null) return;
    try {
      const r = await core.call('evaluation.result', { modelId, split });
      // An evaluation that finished while this was asked (a fast Evaluate) keeps its fresher result.
      if (this.modelId === modelId && this.split === split && this.result === null) this.result = r;
    } catch (e) {
      this.error = describe('Cannot read the evaluation', e);
    }
  }

  async start(): Promise<void> {
    if (this.modelId === null || this.running) return;
    this.error = null;
    this.message = 'Starting…';
    this.done = 0;
    this.total = null;
    this.starting = true;
    try {
      const { jobId } = await core.call('evaluation.start', { modelId: this.modelId, split: this.split, storePredictions: true });
      this.jobId = jobId;
      const early = this.early.get(jobId);
      if (early) this.finished(early);
    } catch (e) {
      this.message = '';
      this.error = describe('Cannot evaluate', e);
    } finally {
      this.starting = false;
      this.early.clear();
    }
  }

  async cancel(): Promise<void> {
    if (!this.jobId) return;
    try {
      await core.call('jobs.cancel', { id: this.jobId });
    } catch (e) {
      this.error = describe('Cannot cancel the evaluation', e);
    }
  }

  cell(t: string, p: string): EvaluationCell | undefined {
    return this.result?.cells.find((c) => c.true === t && c.predicted === p);
  }
}
