/**
 * The renderer's connection to the core, as reactive state: the client, the core's info for the
 * status bar, and the jobs running now (kept current from the core's events).
 */
import type { AppInfo, EventName, EventPayload, Input, JobInfo, Output, RequestName } from '$common/contract';
import { connect, type Connection, type Transport } from './client';
import { errorMessage } from './errors';

class CoreState {
  connection = $state<Connection | null>(null);
  info = $state<AppInfo | null>(null);
  error = $state<string | null>(null);
  /** The core's thread died after connecting (the host answers every request with why): the app says so. */
  stopped = $state(false);
  jobs = $state<JobInfo[]>([]);

  get transport(): Transport | null {
    return this.connection?.transport ?? null;
  }

  async start(): Promise<void> {
    try {
      this.connection = watchStopped(await connect(), (message) => {
        this.stopped = true;
        this.error = message;
      });
      this.on('job.progress', (p) => this.applyProgress(p));
      this.on('job.finished', () => void this.refreshJobs());
      this.info = await this.call('app.info', {});
      await this.refreshJobs();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  call<K extends RequestName>(method: K, params: Input<K>): Promise<Output<K>> {
    if (!this.connection) return Promise.reject(new Error('Not connected to the core'));
    return this.connection.client.call(method, params);
  }

  on<K extends EventName>(name: K, fn: (payload: EventPayload<K>) => void): () => void {
    if (!this.connection) return () => undefined;
    return this.connection.client.on(name, fn);
  }

  async refreshJobs(): Promise<void> {
    this.jobs = await this.call('jobs.list', {});
  }

  private applyProgress(p: EventPayload<'job.progress'>): void {
    const job = this.jobs.find((j) => j.id === p.id);
    if (job) {
      job.done = p.done;
      job.total = p.total;
      job.message = p.message;
    } else {
      void this.refreshJobs();
    }
  }
}

export const core = new CoreState();

/** The connection, with every call's 'core stopped' answer (core host: details.coreStopped) reported to `onStopped`. */
function watchStopped(conn: Connection, onStopped: (message: string) => void): Connection {
  const inner = conn.client;
  const call: typeof inner.call = (method, params, opts) =>
    inner.call(method, params, opts).catch((e: unknown) => {
      if ((e as { details?: { coreStopped?: unknown } } | null)?.details?.coreStopped === true) onStopped(errorMessage(e));
      throw e;
    });
  return { ...conn, client: { call, on: inner.on } };
}
