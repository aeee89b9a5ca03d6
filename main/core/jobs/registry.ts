import { randomUUID } from 'node:crypto';
import type { JobInfo, JobKind } from '../../common/contract';
import type { EventSink } from '../../common/rpc/server';
import { GlyphError, serializeError } from '../../common/errors';

export interface JobContext {
  signal: AbortSignal;
  /** Report progress; events are throttled to ~10 per second unless `force` is set. */
  progress(done: number, total: number | null, message?: string, data?: unknown, force?: boolean): void;
}

export interface StartedJob<R> {
  id: string;
  /** Settles when the job ends: the result, or the error (GlyphError 'cancelled' when cancelled). */
  done: Promise<R>;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Long work (imports, training, OCR of many pages) runs as jobs: each has an id, pushes
 * `job.progress` and `job.finished` events, and can be cancelled through its AbortSignal.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, { info: JobInfo; controller: AbortController }>();

  constructor(private readonly emit: EventSink) {}

  start<R>(kind: JobKind, title: string, run: (ctx: JobContext) => Promise<R>, parentSignal?: AbortSignal): StartedJob<R> {
    const id = randomUUID();
    const controller = new AbortController();
    if (parentSignal) {
      if (parentSignal.aborted) controller.abort();
      else parentSignal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    const info: JobInfo = { id, kind, title, status: 'running', done: 0, total: null, message: '', startedAt: Date.now(), endedAt: null };
    this.jobs.set(id, { info, controller });
    let lastEmit = 0;
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, total, message, data, force) => {
        info.done = done;
        info.total = total;
        if (message !== undefined) info.message = message;
        const now = Date.now();
        if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
        lastEmit = now;
        this.emit('job.progress', { id, kind, done, total, message: info.message, data });
      },
    };
    const done = (async () => {
      try {
        const result = await run(ctx);
        if (controller.signal.aborted) throw new GlyphError('cancelled', `${title}: cancelled`);
        info.status = 'done';
        this.emit('job.finished', { id, kind, status: 'done', result });
        return result;
      } catch (e) {
        const err = controller.signal.aborted ? { type: 'cancelled' as const, message: `${title}: cancelled` } : serializeError(e);
        info.status = err.type === 'cancelled' ? 'cancelled' : 'failed';
        info.message = err.message;
        this.emit('job.finished', { id, kind, status: info.status, error: { type: err.type, message: err.message } });
        throw err.type === 'cancelled' ? new GlyphError('cancelled', err.message) : e;
      } finally {
        info.endedAt = Date.now();
      }
    })();
    // Callers that only want the id must not get an unhandled rejection.
    done.catch(() => undefined);
    return { id, done };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info })).sort((a, b) => b.startedAt - a.startedAt);
  }

  get(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new GlyphError('not_found', `No job '${id}'`);
    return { ...job.info };
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) throw new GlyphError('not_found', `No job '${id}'`);
    if (job.info.status !== 'running') return false;
    job.controller.abort();
    return true;
  }

  /** Aborts every running job (core shutdown). */
  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.info.status === 'running') j.controller.abort();
  }
}
