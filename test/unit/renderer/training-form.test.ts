import { afterEach, describe, expect, it } from 'vitest';
import { loadForm } from '../../../renderer/src/views/training/settings';

// The training form is kept in localStorage between sessions; in Node the test provides one.
const store = new Map<string, string>();
(globalThis as { localStorage?: unknown }).localStorage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
};
const save = (form: object) => store.set('glyphlab.training.form', JSON.stringify(form));

describe('training form kept between sessions', () => {
  afterEach(() => store.clear());

  it('keeps every schedule the contract offers, one cycle included', () => {
    for (const lrSchedule of ['constant', 'cosine', 'onecycle']) {
      save({ lrSchedule });
      expect(loadForm().lrSchedule).toBe(lrSchedule);
    }
  });

  it('falls back to the default for a schedule it does not know, and for a damaged store', () => {
    save({ lrSchedule: 'warp-speed', epochs: 7 });
    const form = loadForm();
    expect(form.lrSchedule).toBe('constant');
    expect(form.epochs).toBe(7);
    store.set('glyphlab.training.form', '{not json');
    expect(loadForm().lrSchedule).toBe('constant');
  });
});
