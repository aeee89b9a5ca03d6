import type Database from 'better-sqlite3';
import os from 'node:os';
import { GlyphError } from '../../common/errors';
import type { EpochStats, RunStatus, TrainConfig, TrainingRun } from '../../common/contract/training';
import { latestCheckpointDir } from './checkpoint';

/** A row of training_runs. */
export interface RunRow {
  id: number;
  model_id: number | null;
  status: RunStatus;
  config: string;
  backend: string;
  history: string;
  checkpoint_dir: string | null;
  message: string | null;
  started_at: number;
  ended_at: number | null;
}

/** Stored in training_runs.config: the training settings, the run's name and the process running it. */
export interface StoredConfig {
  name: string;
  config: TrainConfig;
  owner?: { pid: number; host: string };
  /** The run's samples come from this database instead of the core's (`glyphlab improve`: replay tiles and document samples). */
  dataDbPath?: string;
}

/** This process, as the owner of the runs it starts. */
export function thisOwner(): NonNullable<StoredConfig['owner']> {
  return { pid: process.pid, host: os.hostname() };
}

/** Whether the process that started a run is still alive (on this host). */
export function ownerAlive(owner: StoredConfig['owner']): boolean {
  if (!owner || owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function runRow(db: Database.Database, id: number): RunRow {
  const r = db.prepare(`SELECT * FROM training_runs WHERE id = ?`).get(id) as RunRow | undefined;
  if (!r) throw new GlyphError('not_found', `No training run ${id}`);
  return r;
}

/** The contract's view of a run; `jobId` is its live job's when it runs in this process. */
export function toTrainingRun(r: RunRow, jobId: string | null): TrainingRun {
  const stored = JSON.parse(r.config) as StoredConfig;
  return {
    id: r.id,
    name: stored.name,
    modelId: r.model_id,
    status: r.status,
    config: stored.config,
    backend: r.backend,
    history: JSON.parse(r.history) as EpochStats[],
    message: r.message,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    resumable: jobId === null && r.status !== 'done' && !!r.checkpoint_dir && latestCheckpointDir(r.checkpoint_dir) !== null,
    jobId,
  };
}

/** Ends a run's row: its status, why, and the model it made. */
export function finishRun(db: Database.Database, id: number, status: RunStatus, message: string | null, modelId: number | null = null): void {
  if (!db.open) return;
  db.prepare(`UPDATE training_runs SET status = ?, message = ?, model_id = COALESCE(?, model_id), ended_at = ? WHERE id = ?`).run(
    status,
    message,
    modelId,
    Date.now(),
    id,
  );
}
