import type { DatasetStats, SampleDetail, SampleFilter, SampleRow, Split } from '../../common/contract/dataset';
import { SORTS, SPLITS } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { classList, getClasses } from './classes';

export type Sort = (typeof SORTS)[number];

/**
 * The model whose predictions drive the confidence and disagreement filters: the active model when it is a
 * registered one, else the most recent.
 */
export function latestModelId(db: DB): number | null {
  const active = db.prepare(`SELECT m.id FROM meta JOIN models m ON m.id = CAST(meta.value AS INTEGER) WHERE meta.key = 'active_model'`).pluck().get() as number | undefined;
  if (active !== undefined) return active;
  return (db.prepare(`SELECT id FROM models ORDER BY created_at DESC, id DESC LIMIT 1`).pluck().get() as number | undefined) ?? null;
}

interface Built {
  from: string;
  where: string;
  params: unknown[];
}

function list(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** FROM + WHERE for a filter. Predictions of the latest model are LEFT JOINed as `p` (when there is a model). */
export function buildFilter(filter: SampleFilter, modelId: number | null): Built {
  const conds: string[] = [];
  const params: unknown[] = [];
  let from = 'samples s';
  if (modelId !== null) {
    from += ' LEFT JOIN predictions p ON p.sample_id = s.id AND p.model_id = ?';
    params.push(modelId);
  }
  conds.push(filter.deleted ? 's.deleted_at IS NOT NULL' : 's.deleted_at IS NULL');
  const labels = filter.labels ?? [];
  if (labels.length && filter.unlabeled) {
    conds.push(`(s.label IN (${list(labels.length)}) OR s.label IS NULL)`);
    params.push(...labels);
  } else if (labels.length) {
    conds.push(`s.label IN (${list(labels.length)})`);
    params.push(...labels);
  } else if (filter.unlabeled) conds.push('s.label IS NULL');
  if (filter.splits?.length) {
    conds.push(`s.split IN (${list(filter.splits.length)})`);
    params.push(...filter.splits);
  }
  if (filter.batches?.length) {
    conds.push(`s.batch_id IN (${list(filter.batches.length)})`);
    params.push(...filter.batches);
  }
  if (filter.ids) {
    conds.push(filter.ids.length ? `s.id IN (${list(filter.ids.length)})` : '0');
    params.push(...filter.ids);
  }
  if (filter.source) {
    conds.push(`s.source LIKE ? ESCAPE '\\'`);
    params.push(`%${filter.source.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const wantsPred = filter.minConfidence !== undefined || filter.maxConfidence !== undefined || filter.disagree;
  if (wantsPred && modelId === null) conds.push('0');
  if (modelId !== null) {
    if (filter.minConfidence !== undefined) {
      conds.push('p.confidence >= ?');
      params.push(filter.minConfidence);
    }
    if (filter.maxConfidence !== undefined) {
      conds.push('p.confidence <= ?');
      params.push(filter.maxConfidence);
    }
    if (filter.disagree) conds.push('s.label IS NOT NULL AND p.label IS NOT NULL AND p.label <> s.label');
  }
  return { from, where: conds.join(' AND '), params };
}

function orderBy(sort: Sort, modelId: number | null): string {
  switch (sort) {
    case 'oldest':
      return 's.id ASC';
    case 'label':
      return 's.label ASC, s.id ASC';
    case 'confidence':
      return modelId === null ? 's.id DESC' : 'p.confidence IS NULL, p.confidence ASC, s.id ASC';
    default:
      return 's.id DESC';
  }
}

export function querySamples(
  db: DB,
  q: { filter: SampleFilter; sort: Sort; offset: number; limit: number; thumbs: boolean },
): { total: number; rows: SampleRow[] } {
  const modelId = latestModelId(db);
  const b = buildFilter(q.filter, modelId);
  const total = db.prepare(`SELECT count(*) FROM ${b.from} WHERE ${b.where}`).pluck().get(...b.params) as number;
  // Two steps: the window's ids from an index-only scan, then the rows of just those ids.
  const ids = db
    .prepare(`SELECT s.id FROM ${b.from} WHERE ${b.where} ORDER BY ${orderBy(q.sort, modelId)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...b.params, q.limit, q.offset) as number[];
  const cols = modelId === null ? 's.id, s.label, s.split' : 's.id, s.label, s.split, p.label AS predicted, p.confidence AS confidence';
  const from = modelId === null ? 'samples s' : 'samples s LEFT JOIN predictions p ON p.sample_id = s.id AND p.model_id = ?';
  const byId = new Map<number, SampleRow>();
  if (ids.length) {
    const found = db
      .prepare(`SELECT ${cols} FROM ${from} WHERE s.id IN (${list(ids.length)})`)
      .all(...(modelId === null ? [] : [modelId]), ...ids) as SampleRow[];
    for (const r of found) byId.set(r.id, r);
  }
  const rows = ids.map((id) => byId.get(id)!).filter(Boolean);
  if (q.thumbs && rows.length) {
    const thumbs = new Map<number, Buffer>();
    const stmt = db.prepare(
      `SELECT sample_id AS id, CASE WHEN length(thumb) = 0 THEN png ELSE thumb END AS t FROM sample_images WHERE sample_id IN (${list(rows.length)})`,
    );
    for (const t of stmt.all(...rows.map((r) => r.id)) as { id: number; t: Buffer }[]) thumbs.set(t.id, t.t);
    for (const r of rows) r.thumb = thumbs.get(r.id)?.toString('base64') ?? '';
  }
  return { total, rows };
}

export function queryIds(db: DB, filter: SampleFilter, sort: Sort): number[] {
  const modelId = latestModelId(db);
  const b = buildFilter(filter, modelId);
  return db.prepare(`SELECT s.id FROM ${b.from} WHERE ${b.where} ORDER BY ${orderBy(sort, modelId)}`).pluck().all(...b.params) as number[];
}

export function getSample(db: DB, id: number): SampleDetail {
  const s = db
    .prepare(
      `SELECT s.id, s.label, s.split, s.source, s.batch_id AS batchId, s.width, s.height, s.created_at AS createdAt, s.deleted_at AS deletedAt, i.png
       FROM samples s JOIN sample_images i ON i.sample_id = s.id WHERE s.id = ?`,
    )
    .get(id) as (Omit<SampleDetail, 'image' | 'history' | 'predictions'> & { png: Buffer }) | undefined;
  if (!s) throw new GlyphError('not_found', `No sample with id ${id}`);
  const history = (
    db
      .prepare(
        `SELECT h.edit_id AS editId, e.created_at AS at, h.field, h.old_value AS "from", h.new_value AS "to", e.reason, e.undone_at AS undoneAt
         FROM sample_history h JOIN edits e ON e.id = h.edit_id WHERE h.sample_id = ? ORDER BY h.id`,
      )
      .all(id) as (Omit<SampleDetail['history'][number], 'undone'> & { undoneAt: number | null })[]
  ).map(({ undoneAt, ...h }) => ({ ...h, undone: undoneAt !== null }));
  const predictions = (
    db
      .prepare(`SELECT model_id AS modelId, label, confidence, top3 FROM predictions WHERE sample_id = ? ORDER BY model_id DESC`)
      .all(id) as { modelId: number; label: string; confidence: number; top3: string }[]
  ).map((p) => ({ ...p, top3: safeJson(p.top3) }));
  const { png, ...rest } = s;
  return { ...rest, image: png.toString('base64'), history, predictions };
}

function safeJson(s: string): { label: string; confidence: number }[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v as { label: string; confidence: number }[]) : [];
  } catch {
    return [];
  }
}

export function getStats(db: DB): DatasetStats {
  const classes = getClasses(db);
  const byClass: Record<string, number> = {};
  for (const c of classList(classes)) byClass[c] = 0;
  let total = 0;
  let unlabeled = 0;
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>;
  const rows = db
    .prepare(`SELECT label, split, count(*) AS n FROM samples WHERE deleted_at IS NULL GROUP BY label, split`)
    .all() as { label: string | null; split: Split; n: number }[];
  for (const r of rows) {
    total += r.n;
    bySplit[r.split] = (bySplit[r.split] ?? 0) + r.n;
    if (r.label === null) unlabeled += r.n;
    else byClass[r.label] = (byClass[r.label] ?? 0) + r.n;
  }
  const deleted = db.prepare(`SELECT count(*) FROM samples WHERE deleted_at IS NOT NULL`).pluck().get() as number;
  const batches = db
    .prepare(`SELECT id, source, format, imported, started_at AS startedAt FROM import_batches ORDER BY id DESC LIMIT 200`)
    .all() as DatasetStats['batches'];
  return { total, byClass, bySplit, unlabeled, deleted, classes, batches };
}
