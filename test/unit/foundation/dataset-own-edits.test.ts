import { describe, expect, it } from 'vitest';
import { moveTarget } from '../../../renderer/src/views/dataset/moves';
import { OwnEdits } from '../../../renderer/src/views/dataset/own-edits';

/** A request whose answer the test gives when it likes (as an edit's answer comes after its event). */
function pending<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the Dataset view knows its own edits by their id', () => {
  it('an event that comes before its edit’s answer is recognised once the answer comes; each only once', async () => {
    const own = new OwnEdits();
    const req = pending<{ editId: number | null }>();
    const tracked = own.track(req.promise);
    const verdict = own.isOwn(41);
    req.resolve({ editId: 41 });
    await tracked;
    expect(await verdict).toBe(true);
    expect(await own.isOwn(41)).toBe(false);
  });

  it('another window’s edit is not ours, whether or not ours are on their way, whatever the time', async () => {
    const own = new OwnEdits();
    expect(await own.isOwn(7)).toBe(false);
    expect(await own.isOwn(undefined)).toBe(false);
    const req = pending<{ editId: number | null }>();
    const tracked = own.track(req.promise);
    const verdict = own.isOwn(8);
    req.resolve({ editId: 9 });
    await tracked;
    expect(await verdict).toBe(false);
    expect(await own.isOwn(9)).toBe(true);
  });

  it('a failed edit leaves nothing behind and does not hold the verdict', async () => {
    const own = new OwnEdits();
    const req = pending<{ editId: number | null }>();
    const tracked = own.track(req.promise).catch(() => 'failed');
    const verdict = own.isOwn(3);
    req.reject(new Error('the database is locked'));
    expect(await tracked).toBe('failed');
    expect(await verdict).toBe(false);
  });
});

describe('cursor moves in the grid', () => {
  // 10 tiles in 4 columns: rows 0-3, 4-7, 8-9; a screen holds 2 rows.
  const at = (cur: number, to: Parameters<typeof moveTarget>[1]) => moveTarget(cur, to, 10, 4, 2);
  it('steps by tiles, rows and screens, and stays in the grid', () => {
    expect([at(5, 'left'), at(5, 'right'), at(5, 'up'), at(5, 'down')]).toEqual([4, 6, 1, 9]);
    expect([at(1, 'pageDown'), at(9, 'pageUp'), at(6, 'home'), at(2, 'end')]).toEqual([9, 1, 0, 9]);
    expect([at(-1, 'right'), at(0, 'left'), at(9, 'right')]).toEqual([0, 0, 9]);
  });
  it('up on the first row and down past the last stay in the column', () => {
    expect([at(2, 'up'), at(6, 'down'), at(7, 'down'), at(3, 'pageUp')]).toEqual([2, 6, 7, 3]);
  });
});
