import type { EditReason, EditResult, PendingEdit, Split } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { assertLabel, getClasses } from './classes';

/**
 * Undoable edits. Every relabel, split move, delete and restore writes one `edits` row and one
 * `sample_history` row per sample whose value changed (old → new). Undo applies the old values of the
 * latest live edit and stamps `undone_at`; redo re-applies the earliest undone edit after the latest live
 * one. Undone edits stay in the history (shown as undone). A new edit clears the redo stack: the undone
 * edits it discards get a negative `undone_at` (still undone, never redoable). All of it is in the database,
 * so undo/redo work across sessions.
 */
type Field = 'label' | 'split' | 'deleted';
type Kind = 'label' | 'split' | 'delete' | 'restore';

const CHUNK = 500;

interface Current {
  id: number;
  value: string | null;
}

function current(db: DB, ids: number[], field: Field): Current[] {
  const col = field === 'label' ? 'label' : field === 'split' ? 'split' : 'deleted_at';
  const out: Current[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = db
      .prepare(`SELECT id, ${col} AS value FROM samples WHERE id IN (${chunk.map(() => '?').join(',')})`)
      .all(...chunk) as { id: number; value: string | number | null }[];
    for (const r of rows) out.push({ id: r.id, value: r.value === null ? null : String(r.value) });
  }
  return out;
}

function setValue(db: DB, field: Field) {
  if (field === 'label') return db.prepare(`UPDATE samples SET label = ? WHERE id = ?`);
  if (field === 'split') return db.prepare(`UPDATE samples SET split = ? WHERE id = ?`);
  return db.prepare(`UPDATE samples SET deleted_at = CAST(? AS INTEGER) WHERE id = ?`);
}

/** Applies `to(old)` to each sample; one edit for the samples that changed. Unknown ids: not_found, nothing written. */
function applyEdit(db: DB, ids: number[], kind: Kind, field: Field, reason: EditReason, to: (old: string | null, id: number) => string | null): EditResult {
  const unique = [...new Set(ids)];
  return db.transaction((): EditResult => {
    const rows = current(db, unique, field);
    if (rows.length !== unique.length) {
      const found = new Set(rows.map((r) => r.id));
      const missing = unique.filter((id) => !found.has(id));
      throw new GlyphError('not_found', `No sample with id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}`, { missing: missing.slice(0, 100) });
    }
    const changes = rows.map((r) => ({ id: r.id, from: r.value, to: to(r.value, r.id) })).filter((c) => c.from !== c.to);
    if (changes.length === 0) return { editId: null, changed: 0, ids: [] };
    const editId = Number(db.prepare(`INSERT INTO edits (kind, reason, created_at) VALUES (?, ?, ?)`).run(kind, reason, Date.now()).lastInsertRowid);
    db.prepare(`UPDATE edits SET undone_at = -abs(undone_at) WHERE undone_at > 0 AND id < ?`).run(editId);
    const hist = db.prepare(`INSERT INTO sample_history (edit_id, sample_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)`);
    const set = setValue(db, field);
    for (const c of changes) {
      hist.run(editId, c.id, field, c.from, c.to);
      set.run(c.to, c.id);
    }
    return { editId, changed: changes.length, ids: changes.map((c) => c.id) };
  })();
}

export function relabel(db: DB, ids: number[], label: string | null, reason: EditReason): EditResult {
  assertLabel(getClasses(db), label);
  return applyEdit(db, ids, 'label', 'label', reason, () => label);
}

/** One undoable edit giving each sample its own label (a transcript labels a page's glyphs at once). */
export function relabelEach(db: DB, labels: Map<number, string>, reason: EditReason): EditResult {
  const classes = getClasses(db);
  for (const l of new Set(labels.values())) assertLabel(classes, l);
  return applyEdit(db, [...labels.keys()], 'label', 'label', reason, (_, id) => labels.get(id) ?? null);
}

export function setSplit(db: DB, ids: number[], split: Split): EditResult {
  return applyEdit(db, ids, 'split', 'split', ids.length > 1 ? 'bulk' : 'manual', () => split);
}

export function softDelete(db: DB, ids: number[]): EditResult {
  const now = String(Date.now());
  return applyEdit(db, ids, 'delete', 'deleted', ids.length > 1 ? 'bulk' : 'manual', (old) => old ?? now);
}

export function restore(db: DB, ids: number[]): EditResult {
  return applyEdit(db, ids, 'restore', 'deleted', ids.length > 1 ? 'bulk' : 'manual', () => null);
}

type Walk = EditResult & { kind: string | null };

function replay(db: DB, editId: number, direction: 'undo' | 'redo'): string[] | number[] {
  const rows = db
    .prepare(`SELECT sample_id AS id, field, old_value AS oldValue, new_value AS newValue FROM sample_history WHERE edit_id = ? ORDER BY id`)
    .all(editId) as { id: number; field: Field; oldValue: string | null; newValue: string | null }[];
  const setters = new Map<Field, ReturnType<typeof setValue>>();
  for (const r of rows) {
    let s = setters.get(r.field);
    if (!s) setters.set(r.field, (s = setValue(db, r.field)));
    s.run(direction === 'undo' ? r.oldValue : r.newValue, r.id);
  }
  return rows.map((r) => r.id);
}

export function undo(db: DB): Walk {
  return db.transaction((): Walk => {
    const e = db.prepare(`SELECT id, kind FROM edits WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1`).get() as { id: number; kind: string } | undefined;
    if (!e) return { editId: null, changed: 0, ids: [], kind: null };
    const ids = replay(db, e.id, 'undo') as number[];
    db.prepare(`UPDATE edits SET undone_at = ? WHERE id = ?`).run(Date.now(), e.id);
    return { editId: e.id, changed: ids.length, ids, kind: e.kind };
  })();
}

export function redo(db: DB): Walk {
  return db.transaction((): Walk => {
    const live = (db.prepare(`SELECT max(id) FROM edits WHERE undone_at IS NULL`).pluck().get() as number | null) ?? 0;
    const e = db.prepare(`SELECT id, kind FROM edits WHERE undone_at > 0 AND id > ? ORDER BY id ASC LIMIT 1`).get(live) as
      | { id: number; kind: string }
      | undefined;
    if (!e) return { editId: null, changed: 0, ids: [], kind: null };
    const ids = replay(db, e.id, 'redo') as number[];
    db.prepare(`UPDATE edits SET undone_at = NULL WHERE id = ?`).run(e.id);
    return { editId: e.id, changed: ids.length, ids, kind: e.kind };
  })();
}

type EditRow = { id: number; kind: PendingEdit['kind']; reason: EditReason; at: number };

function describe(db: DB, e: EditRow): PendingEdit {
  const values = db
    .prepare(`SELECT new_value AS value, count(*) AS n FROM sample_history WHERE edit_id = ? GROUP BY new_value LIMIT 2`)
    .all(e.id) as { value: string | null; n: number }[];
  const count = values.length === 1 ? values[0]!.n : (db.prepare(`SELECT count(*) FROM sample_history WHERE edit_id = ?`).pluck().get(e.id) as number);
  const same = values.length === 1;
  const to = same && (e.kind === 'label' || e.kind === 'split') ? values[0]!.value : null;
  const n = `${count.toLocaleString('en-US')} sample${count === 1 ? '' : 's'}`;
  let text: string;
  if (e.kind === 'label') text = `relabel ${n}${same ? (to === null ? ' as unlabeled' : ` to '${to}'`) : ''}`;
  else if (e.kind === 'split') text = `move ${n}${same && to ? ` to ${to}` : ''}`;
  else text = `${e.kind} ${n}`;
  if (e.reason === 'ocr') text += ' (OCR correction)';
  else if (e.reason === 'review') text += ' (review)';
  else if (e.reason === 'transcript') text += ' (from a transcript)';
  return { editId: e.id, kind: e.kind, reason: e.reason, count, to, at: e.at, text };
}

/** What `undo` and `redo` would apply now, read-only. */
export function undoState(db: DB): { undo: PendingEdit | null; redo: PendingEdit | null } {
  const u = db.prepare(`SELECT id, kind, reason, created_at AS at FROM edits WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1`).get() as EditRow | undefined;
  const r = db
    .prepare(`SELECT id, kind, reason, undone_at AS at FROM edits WHERE undone_at > 0 AND id > ? ORDER BY id ASC LIMIT 1`)
    .get(u?.id ?? 0) as EditRow | undefined;
  return { undo: u ? describe(db, u) : null, redo: r ? describe(db, r) : null };
}
