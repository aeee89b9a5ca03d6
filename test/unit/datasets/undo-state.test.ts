import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
let ids: number[];
beforeEach(async () => {
  t = tmpCore();
  const f = writeIdx(path.join(t.dir, 'in'), 'u', Array.from({ length: 20 }, (_, i) => tile(i)), Array.from({ length: 20 }, () => 1));
  await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [f.images] }));
  ids = (await t.call('dataset.ids', { sort: 'oldest' })).ids;
});
afterEach(async () => {
  await t.close();
});

describe('dataset.undoState', () => {
  it('says what undo and redo would do, without doing it', async () => {
    expect(await t.call('dataset.undoState', {})).toEqual({ undo: null, redo: null });
    await t.call('dataset.relabel', { ids: ids.slice(0, 12), label: 'A' });
    await t.call('dataset.setSplit', { ids: ids.slice(0, 3), split: 'test' });
    const s = await t.call('dataset.undoState', {});
    expect(s.undo).toMatchObject({ kind: 'split', count: expect.any(Number), to: 'test' });
    expect(s.undo!.text).toMatch(/^move \d samples? to test$/);
    expect(s.redo).toBeNull();
    // Asking changes nothing.
    expect(await t.call('dataset.undoState', {})).toEqual(s);
    await t.call('dataset.undo', {});
    const after = await t.call('dataset.undoState', {});
    expect(after.undo).toMatchObject({ kind: 'label', count: 12, to: 'A', reason: 'bulk', text: "relabel 12 samples to 'A'" });
    // The same edit, now on the redo side (its `at` is when it was undone).
    expect({ ...after.redo!, at: 0 }).toEqual({ ...s.undo!, at: 0 });
    await t.call('dataset.undo', {});
    expect(await t.call('dataset.undoState', {})).toMatchObject({ undo: null, redo: { text: "relabel 12 samples to 'A'" } });
  });

  it('describes unlabel, mixed, delete and OCR edits', async () => {
    await t.call('dataset.relabel', { ids: [ids[0]!], label: null });
    expect((await t.call('dataset.undoState', {})).undo!.text).toBe('relabel 1 sample as unlabeled');
    await t.call('dataset.relabel', { ids: [ids[1]!], label: 'Q', reason: 'ocr' });
    expect((await t.call('dataset.undoState', {})).undo!.text).toBe("relabel 1 sample to 'Q' (OCR correction)");
    await t.call('dataset.delete', { ids: ids.slice(2, 7) });
    expect((await t.call('dataset.undoState', {})).undo).toMatchObject({ kind: 'delete', count: 5, text: 'delete 5 samples' });
    // Two samples moved from different splits to the same one: one target value.
    await t.call('dataset.setSplit', { ids: ids.slice(10, 14), split: 'validation' });
    const u = (await t.call('dataset.undoState', {})).undo!;
    expect(u.text).toBe(`move ${u.count} sample${u.count === 1 ? '' : 's'} to validation`);
  });
});
