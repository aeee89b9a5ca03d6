import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import { dispatch } from '../../../main/common/rpc/server';
import type { Input, Output, RequestName } from '../../../main/common/contract';
import { tmpCore, tmpDir } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
let ids: number[];
beforeEach(async () => {
  t = tmpCore();
  const f = writeIdx(path.join(t.dir, 'in'), 'x', [0, 1, 2, 3, 4, 5].map((i) => tile(i)), [10, 10, 11, 11, 12, 12]);
  await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [f.images] }));
  ids = (await t.call('dataset.ids', { sort: 'oldest' })).ids;
});
afterEach(async () => {
  await t.close();
});

const labels = async () => (await t.call('dataset.query', { sort: 'oldest', thumbs: false, filter: {} })).rows.map((r) => r.label);

describe('relabel, undo, redo', () => {
  it('relabels, records history with the reason, undoes and redoes', async () => {
    const events: unknown[] = [];
    t.core.onEvent((name, p) => name === 'dataset.changed' && events.push(p));
    const r = await t.call('dataset.relabel', { ids: [ids[0]!], label: 'Q', reason: 'review' });
    expect(r).toMatchObject({ changed: 1, ids: [ids[0]] });
    // The answer carries what undo and redo would do now (the buttons need no second request).
    expect(r).toMatchObject({ undo: { editId: r.editId, kind: 'label', count: 1, to: 'Q' }, redo: null });
    expect(await labels()).toEqual(['Q', 'A', 'B', 'B', 'C', 'C']);
    expect(events).toEqual([{ reason: 'edit', ids: [ids[0]], editId: r.editId }]);
    const h = (await t.call('dataset.sample', { id: ids[0]! })).history;
    expect(h).toEqual([expect.objectContaining({ field: 'label', from: 'A', to: 'Q', reason: 'review', undone: false, editId: r.editId })]);

    const u = await t.call('dataset.undo', {});
    expect(u).toMatchObject({ editId: r.editId, kind: 'label', changed: 1 });
    expect(events[1]).toEqual({ reason: 'undo', ids: [ids[0]], editId: r.editId });
    expect(u.redo?.editId).toBe(r.editId);
    expect(u.undo?.editId).not.toBe(r.editId);
    expect(await labels()).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
    expect((await t.call('dataset.sample', { id: ids[0]! })).history[0]!.undone).toBe(true);

    const re = await t.call('dataset.redo', {});
    expect(re).toMatchObject({ editId: r.editId, kind: 'label' });
    expect(await labels()).toEqual(['Q', 'A', 'B', 'B', 'C', 'C']);
    expect(await t.call('dataset.redo', {})).toMatchObject({ editId: null, kind: null, changed: 0 });
  });

  it('a bulk relabel is one edit; a no-op writes nothing; unlabeling works', async () => {
    const r = await t.call('dataset.relabel', { ids: ids.slice(0, 4), label: 'B' });
    expect(r.changed).toBe(2); // two were already B
    expect((await t.call('dataset.sample', { id: ids[0]! })).history[0]!.reason).toBe('bulk');
    expect(await t.call('dataset.relabel', { ids: ids.slice(0, 4), label: 'B' })).toMatchObject({ editId: null, changed: 0, ids: [] });
    await t.call('dataset.relabel', { ids: [ids[5]!], label: null });
    expect(await labels()).toEqual(['B', 'B', 'B', 'B', 'C', null]);
    await t.call('dataset.undo', {});
    await t.call('dataset.undo', {});
    expect(await labels()).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
  });

  it('rejects a label outside the class set and unknown ids, changing nothing', async () => {
    await expect(t.call('dataset.relabel', { ids: [ids[0]!], label: 'q' })).rejects.toMatchObject({
      type: 'validation',
      message: expect.stringMatching(/Label 'q' is not in the class set/),
    });
    await expect(t.call('dataset.relabel', { ids: [ids[0]!, 999999], label: 'Q' })).rejects.toMatchObject({ type: 'not_found', message: expect.stringMatching(/999999/) });
    expect(await labels()).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
    expect(await t.call('dataset.undo', {})).toMatchObject({ editId: null });
  });

  it('a new edit clears redo, and undo walks back over the remaining stack in order', async () => {
    const e1 = await t.call('dataset.relabel', { ids: [ids[0]!], label: 'D' });
    const e2 = await t.call('dataset.relabel', { ids: [ids[1]!], label: 'E' });
    await t.call('dataset.undo', {}); // undo e2
    const e3 = await t.call('dataset.relabel', { ids: [ids[2]!], label: 'F' });
    expect(await t.call('dataset.redo', {})).toMatchObject({ editId: null }); // e2 is gone for good
    expect((await t.call('dataset.undo', {})).editId).toBe(e3.editId);
    expect((await t.call('dataset.undo', {})).editId).toBe(e1.editId);
    expect(await labels()).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
    expect((await t.call('dataset.redo', {})).editId).toBe(e1.editId);
    expect((await t.call('dataset.redo', {})).editId).toBe(e3.editId);
    expect(await t.call('dataset.redo', {})).toMatchObject({ editId: null });
    expect(await labels()).toEqual(['D', 'A', 'F', 'B', 'C', 'C']);
    expect(e2.editId).not.toBeNull();
  });

  it('split moves, deletes and restores are undoable edits too', async () => {
    await t.call('dataset.setSplit', { ids: ids.slice(0, 3), split: 'test' });
    expect((await t.call('dataset.stats', {})).bySplit.test).toBeGreaterThanOrEqual(3);
    const del = await t.call('dataset.delete', { ids: [ids[0]!, ids[1]!] });
    expect(del.changed).toBe(2);
    let stats = await t.call('dataset.stats', {});
    expect([stats.total, stats.deleted]).toEqual([4, 2]);
    expect((await t.call('dataset.query', { filter: { deleted: true }, thumbs: false })).total).toBe(2);
    await t.call('dataset.restore', { ids: [ids[0]!] });
    expect((await t.call('dataset.stats', {})).deleted).toBe(1);
    expect((await t.call('dataset.undo', {})).kind).toBe('restore');
    expect((await t.call('dataset.undo', {})).kind).toBe('delete');
    stats = await t.call('dataset.stats', {});
    expect([stats.total, stats.deleted]).toEqual([6, 0]);
    const h = (await t.call('dataset.sample', { id: ids[0]! })).history;
    expect(h.map((e) => e.field)).toEqual(['split', 'deleted', 'deleted']);
  });

  it('undo and redo persist across a reopen of the database', async () => {
    const dbPath = t.core.dbPath;
    await t.call('dataset.relabel', { ids: [ids[0]!], label: 'X' });
    await t.call('dataset.relabel', { ids: [ids[1]!], label: 'Y' });
    await t.call('dataset.undo', {});
    await t.core.close();
    const tmp = tmpDir();
    const core = createCore({ dataDir: tmp.dir, dbPath });
    const call = <K extends RequestName>(m: K, p: Input<K>) => dispatch(core.handlers, m, p, { signal: new AbortController().signal }) as Promise<Output<K>>;
    try {
      expect((await call('dataset.redo', {})).changed).toBe(1);
      expect((await call('dataset.undo', {})).changed).toBe(1);
      expect((await call('dataset.undo', {})).changed).toBe(1);
      const rows = (await call('dataset.query', { sort: 'oldest', thumbs: false })).rows;
      expect(rows.map((r) => r.label)).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
    } finally {
      await core.close();
      tmp.cleanup();
    }
  });
});

describe('class set', () => {
  it('replaces the class set, refuses repeats, and governs relabels', async () => {
    await expect(t.call('dataset.setClasses', { classes: 'AAB' })).rejects.toMatchObject({ type: 'validation', message: expect.stringMatching(/twice/) });
    expect(await t.call('dataset.setClasses', { classes: 'ABCabc' })).toEqual({ classes: 'ABCabc' });
    const stats = await t.call('dataset.stats', {});
    expect(stats.classes).toBe('ABCabc');
    expect(Object.keys(stats.byClass)).toEqual(['A', 'B', 'C', 'a', 'b', 'c']);
    expect((await t.call('dataset.relabel', { ids: [ids[0]!], label: 'a' })).changed).toBe(1);
    await expect(t.call('dataset.relabel', { ids: [ids[0]!], label: 'Z' })).rejects.toMatchObject({ type: 'validation' });
  });
});
