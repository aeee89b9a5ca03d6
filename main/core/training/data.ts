import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { GlyphError } from '../../common/errors';
import type { DatasetSnapshot } from '../../common/contract/models';
import type { TrainConfig } from '../../common/contract/training';
import { Rng } from './rng';

export interface SampleRef {
  id: number;
  /** Class index into the class string. */
  y: number;
}

export interface TrainingData {
  /** Classes trained on: the dataset's class set, in its order, restricted to classes with train samples. */
  classes: string;
  train: SampleRef[];
  validation: SampleRef[];
  test: SampleRef[];
  snapshot: DatasetSnapshot;
  /** Where validation comes from: the 'validation' split, or held out from train. */
  validationSource: 'split' | 'heldout';
}

interface Row {
  id: number;
  label: string;
  split: 'train' | 'validation' | 'test';
}

/** Deterministic per-id number in [0, 1): which train samples are held out for validation. */
function idFraction(id: number): number {
  let h = Math.imul(id ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

export function readClassSet(db: Database.Database): string {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'classes'`).get() as { value: string } | undefined;
  return row?.value ?? '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
}

/** The classes a run trains on: those of the class set that have labeled train samples, in class-set order. */
function classesWithTrainSamples(classSet: string, trainLabels: Set<string>): string[] {
  return [...classSet].filter((c) => trainLabels.has(c));
}

/** The classes a run would train on now (see classesWithTrainSamples), without listing the samples. */
export function trainableClasses(db: Database.Database): string {
  const rows = db.prepare(`SELECT DISTINCT label FROM samples WHERE deleted_at IS NULL AND label IS NOT NULL AND split = 'train'`).all() as {
    label: string;
  }[];
  return classesWithTrainSamples(readClassSet(db), new Set(rows.map((r) => r.label))).join('');
}

/** Lists the labeled, live samples of each split (ids and class indexes only: images stay in SQLite). */
export function listTrainingData(db: Database.Database, config: TrainConfig, dbLabel: string): TrainingData {
  const rows = db
    .prepare(`SELECT id, label, split FROM samples WHERE deleted_at IS NULL AND label IS NOT NULL ORDER BY id`)
    .all() as Row[];
  const trainLabels = new Set(rows.filter((r) => r.split === 'train').map((r) => r.label));
  const classes = classesWithTrainSamples(readClassSet(db), trainLabels);
  if (classes.length < 2) {
    throw new GlyphError(
      'bad_input',
      `${dbLabel}: training needs labeled train samples of at least 2 classes (found ${classes.length ? `only '${classes.join('')}'` : 'none'})`,
    );
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  let train: SampleRef[] = [];
  let validation: SampleRef[] = [];
  const test: SampleRef[] = [];
  for (const r of rows) {
    const y = index.get(r.label);
    if (y === undefined) continue;
    if (r.split === 'test') test.push({ id: r.id, y });
    else if (r.split === 'validation') validation.push({ id: r.id, y });
    else train.push({ id: r.id, y });
  }
  let validationSource: TrainingData['validationSource'] = 'split';
  if (validation.length === 0) {
    validationSource = 'heldout';
    validation = train.filter((s) => idFraction(s.id) < config.validationFraction);
    const held = new Set(validation.map((s) => s.id));
    train = train.filter((s) => !held.has(s.id));
  }
  if (config.limit !== undefined && train.length > config.limit) {
    train = new Rng(config.seed ^ 0x51ed).shuffle(train).slice(0, config.limit).sort((a, b) => a.id - b.id);
  }
  if (train.length === 0) throw new GlyphError('bad_input', `${dbLabel}: no training samples left after holding out validation`);
  const counts: Record<string, Record<string, number>> = { train: {}, validation: {}, test: {} };
  const lines: string[] = [];
  const tally = (split: string, list: SampleRef[]) => {
    const c = counts[split]!;
    for (const s of list) {
      const label = classes[s.y]!;
      c[label] = (c[label] ?? 0) + 1;
      if (split !== 'test') lines.push(`${s.id}:${label}:${split}`);
    }
  };
  tally('train', train);
  tally('validation', validation);
  tally('test', test);
  const hash = createHash('sha256').update(lines.sort().join('\n')).digest('hex');
  return {
    classes: classes.join(''),
    train,
    validation,
    test,
    validationSource,
    snapshot: { counts, total: train.length + validation.length + test.length, hash },
  };
}

/** Per-class loss weights, inverse to class frequency, mean 1 over the samples, capped at 10. */
export function classWeights(train: SampleRef[], numClasses: number): Float32Array {
  const counts = new Float64Array(numClasses);
  for (const s of train) counts[s.y]!++;
  const present = [...counts].filter((c) => c > 0).length;
  const w = new Float32Array(numClasses);
  for (let c = 0; c < numClasses; c++) w[c] = counts[c]! > 0 ? Math.min(10, train.length / (present * counts[c]!)) : 0;
  return w;
}

/** One epoch's order: shuffled, or (balanced sampling) classes drawn equally often with replacement. */
export function epochOrder(train: SampleRef[], numClasses: number, balance: TrainConfig['balance'], rng: Rng): SampleRef[] {
  if (balance !== 'sampling') return rng.shuffle(train.slice());
  const byClass: SampleRef[][] = Array.from({ length: numClasses }, () => []);
  for (const s of train) byClass[s.y]!.push(s);
  const nonEmpty = byClass.filter((l) => l.length > 0);
  const out: SampleRef[] = [];
  for (let i = 0; i < train.length; i++) {
    const list = nonEmpty[rng.int(nonEmpty.length)]!;
    out.push(list[rng.int(list.length)]!);
  }
  return out;
}
