import type { SampleDetail } from '$common/contract';
import { describeError, isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';

const DETAIL_DELAY_MS = 60;

/** The detail panel's sample: the cursor's, fetched once the cursor rests (a newer fetch cancels an older one). */
export class DetailLoader {
  sample = $state<SampleDetail | null>(null);
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly cursorId: () => number | undefined) {}

  load(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.fetch();
    }, DETAIL_DELAY_MS);
  }

  private async fetch(): Promise<void> {
    this.abort?.abort();
    const id = this.cursorId();
    if (id === undefined) {
      this.sample = null;
      return;
    }
    const controller = new AbortController();
    this.abort = controller;
    try {
      const sample = await call('dataset.sample', { id }, controller.signal);
      if (controller.signal.aborted) return;
      this.sample = sample;
      this.error = null;
    } catch (e) {
      if (controller.signal.aborted || isCancelled(e)) return;
      this.error = describeError(`Sample ${id}`, e);
    }
  }

  dispose(): void {
    this.abort?.abort();
  }
}
