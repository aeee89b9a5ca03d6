/**
 * Reading documents as a core job (ocr.start): progress from job.progress, the result from
 * job.finished, cancel through jobs.cancel. The page stays responsive while a long read runs.
 */
import type { EventPayload, Input, OcrRunResult } from '$common/contract';
import { core } from '../../lib/core.svelte';

type Finished = EventPayload<'job.finished'>;

export function cancelledError(): Error {
  return Object.assign(new Error('Cancelled'), { name: 'AbortError', type: 'cancelled' });
}

export class ReadJob {
  running = $state(false);
  done = $state(0);
  total = $state<number | null>(null);
  message = $state('');

  private jobId: string | null = null;
  private cancelRequested = false;
  /** Endings that arrived before ocr.start answered with their id. */
  private early = new Map<string, Finished>();
  private waiters = new Map<string, (f: Finished) => void>();
  private attached = false;

  /** Subscribes once for the app's lifetime: a read keeps going while another view is shown. */
  attach(): void {
    if (this.attached || !core.connection) return;
    this.attached = true;
    core.on('job.progress', (p) => {
      if (p.id !== this.jobId) return;
      this.done = p.done;
      this.total = p.total;
      if (p.message) this.message = p.message;
    });
    core.on('job.finished', (f) => {
      const waiter = this.waiters.get(f.id);
      if (waiter) waiter(f);
      else if (f.kind === 'ocr') this.early.set(f.id, f);
    });
  }

  /** Reads as a job and returns its result; a cancelled read rejects with type 'cancelled'. */
  async run(params: Input<'ocr.start'>, label: string): Promise<OcrRunResult> {
    if (this.running) throw Object.assign(new Error('A read is already running: wait for it or cancel it'), { type: 'conflict' });
    this.attach();
    this.running = true;
    this.cancelRequested = false;
    this.done = 0;
    this.total = null;
    this.message = label;
    try {
      const { jobId } = await core.call('ocr.start', params);
      this.jobId = jobId;
      if (this.cancelRequested) void core.call('jobs.cancel', { id: jobId }).catch(() => undefined);
      const ending = this.early.get(jobId) ?? (await new Promise<Finished>((resolve) => this.waiters.set(jobId, resolve)));
      this.waiters.delete(jobId);
      this.early.delete(jobId);
      if (ending.status === 'cancelled') throw cancelledError();
      if (ending.status === 'failed') {
        throw Object.assign(new Error(ending.error?.message ?? 'The read failed'), { type: ending.error?.type ?? 'internal' });
      }
      return ending.result as OcrRunResult;
    } finally {
      this.jobId = null;
      this.running = false;
      this.message = '';
    }
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    this.message = 'Cancelling…';
    if (this.jobId) await core.call('jobs.cancel', { id: this.jobId }).catch(() => undefined);
  }
}
