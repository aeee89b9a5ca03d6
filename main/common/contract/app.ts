import { z } from 'zod';
import { event, request } from './define';

export const BACKEND_NAMES = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The tfjs backend training uses: tensorflow (native), wasm or cpu. */
  name: BackendName;
  /** Why this one: which better ones failed to load and how. */
  reason: string;
  /** Inference runtime: onnxruntime-node when it loads, else the tfjs backend. */
  inference: 'onnxruntime' | 'tfjs';
  /** Threads the training backend computes on (set once a backend has started: wasm's thread pool). */
  threads?: number;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
  backend: BackendInfo;
  platform: string;
  node: string;
}

export const JOB_KINDS = ['import', 'export', 'train', 'evaluate', 'ocr', 'predict', 'backup'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  title: string;
  status: JobStatus;
  done: number;
  total: number | null;
  message: string;
  startedAt: number;
  endedAt: number | null;
}

const jobId = z.string().min(1).max(64);

export const appRequests = {
  'app.info': request<AppInfo>()(z.strictObject({}), 'Core state: version, data folder, database, ML backend.'),
  'jobs.list': request<JobInfo[]>()(z.strictObject({}), 'Jobs of this session, newest first.'),
  'jobs.get': request<JobInfo>()(z.strictObject({ id: jobId }), 'One job by id.'),
  'jobs.cancel': request<{ cancelled: boolean }>()(
    z.strictObject({ id: jobId }),
    'Ask a running job to stop; false when it had already ended.',
  ),
};

const jobProgress = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  done: z.number(),
  total: z.number().nullable(),
  message: z.string(),
  /** Job-specific figures (loss, accuracy, samples/s...). */
  data: z.unknown().optional(),
});

const jobFinished = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  status: z.enum(['done', 'failed', 'cancelled']),
  result: z.unknown().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});

export const appEvents = {
  'job.progress': event(jobProgress, 'A running job moved on.'),
  'job.finished': event(jobFinished, 'A job ended: done, failed or cancelled.'),
};
