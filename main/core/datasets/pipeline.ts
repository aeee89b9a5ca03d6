import { inlineEncoder, startEncoder, type TileEncoder } from './encoder';
import type { NewSample, SampleSink, SampleWriter } from './store';

export interface PipelineOptions {
  /** First transaction size; each full batch doubles it up to `maxBatch` (quick first feedback, then big commits). */
  firstBatch?: number;
  maxBatch?: number;
  /** Batches handed over but not committed before `ready()` makes the reader wait (default 1: the worker
   * encodes the next batch while this thread commits the current one). */
  maxQueued?: number;
  /** Where hashes and PNGs are made: the import worker when built ('auto'), or this thread. */
  encoder?: 'auto' | 'inline' | 'worker';
  /** After each commit (progress). */
  onCommit?: () => void;
}

export const FIRST_BATCH = 1000;
export const MAX_BATCH = 16_000;

/**
 * The import's writer: batches are hashed and PNG-encoded in the import worker while this thread commits
 * the previous batch to SQLite, in order. Each batch is one transaction (rows and images together), so a
 * crash loses only what is not committed yet (`uncommitted`: at most (maxQueued + 2) × maxBatch samples,
 * 48,000 by default; importing the same files again brings them back, the rest counted as duplicates)
 * and never leaves a half-written sample. A small import (everything in `flush`) never starts the worker.
 */
export class PipelinedWriter implements SampleSink {
  private pending: NewSample[] = [];
  private batchSize: number;
  private readonly queue: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: { error: unknown } | null = null;
  private encoder: TileEncoder | null = null;
  private lastDuplicateShare = 0;

  constructor(
    private readonly writer: SampleWriter,
    private readonly opts: PipelineOptions = {},
  ) {
    this.batchSize = opts.firstBatch ?? FIRST_BATCH;
  }

  get imported(): number {
    return this.writer.imported;
  }

  get duplicates(): number {
    return this.writer.duplicates;
  }

  /** Samples handed over but not committed yet. */
  get uncommitted(): number {
    return this.pending.length + this.queued;
  }

  /** 'worker' once the worker encodes; 'inline' when this thread does; null before the first batch. */
  get encoderKind(): 'worker' | 'inline' | null {
    return this.encoder?.kind ?? null;
  }

  add(s: NewSample): void {
    this.throwIfFailed();
    this.pending.push(s);
    if (this.pending.length >= this.batchSize) this.submit(true);
  }

  /** Waits while too many batches are waiting for their commit; throws if a commit failed. */
  async ready(): Promise<void> {
    this.throwIfFailed();
    while (this.queue.length > (this.opts.maxQueued ?? 1)) await this.queue[0]!.catch(() => undefined);
    this.throwIfFailed();
  }

  /** Commits everything handed over (in order); throws what a commit threw. */
  async flush(): Promise<void> {
    this.submit(false);
    await this.tail.catch(() => undefined);
    this.throwIfFailed();
  }

  async close(): Promise<void> {
    await this.encoder?.close();
  }

  private submit(full: boolean): void {
    if (this.failure) return;
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    if (full) this.batchSize = Math.min(this.opts.maxBatch ?? MAX_BATCH, this.batchSize * 2);
    this.encoder ??= full ? startEncoder(this.opts.encoder) : inlineEncoder;
    // Inline, the writer encodes only the new samples itself; the worker encodes the whole batch meanwhile.
    // A re-import (the last batch mostly duplicates) is cheaper inline: no PNG for samples already stored.
    const useWorker = this.encoder.kind === 'worker' && this.lastDuplicateShare <= 0.5;
    const encoded = useWorker ? this.encoder.encode(items) : null;
    this.queued += items.length;
    const done = this.tail
      .then(async () => {
        const enc = encoded ? await encoded : undefined;
        const before = this.writer.duplicates;
        this.writer.commit(items, enc);
        this.lastDuplicateShare = (this.writer.duplicates - before) / items.length;
      })
      .finally(() => {
        this.queued -= items.length;
        this.queue.shift();
        this.opts.onCommit?.();
      });
    done.catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.tail = done;
    this.queue.push(done);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
