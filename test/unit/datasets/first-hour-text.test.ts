import { describe, expect, it } from 'vitest';
import { historyText } from '../../../renderer/src/views/dataset/history-text';
import { batchName } from '../../../renderer/src/views/dataset/batch-name';
import { sourceName, type PickedFile } from '../../../renderer/src/views/dataset/files';
import { uploadSource } from '../../../main/core/datasets/import/upload';
import { startModels } from '../../../renderer/src/views/training/settings';

describe('sample history text', () => {
  it('says deleted / restored instead of the stored timestamp', () => {
    expect(historyText({ field: 'deleted', from: null, to: '1796308963822' })).toBe('deleted');
    expect(historyText({ field: 'deleted', from: '1796308963822', to: null })).toBe('restored');
  });
  it('shows label and split changes as before, unlabeled by name', () => {
    expect(historyText({ field: 'label', from: 'A', to: 'B' })).toBe('label: A → B');
    expect(historyText({ field: 'label', from: null, to: 'B' })).toBe('label: unlabeled → B');
    expect(historyText({ field: 'split', from: 'train', to: 'test' })).toBe('split: train → test');
  });
});

describe('import batch names', () => {
  const at = Date.UTC(2026, 11, 3, 14, 2);
  it('names a batch by the last part of its source, with its date and count', () => {
    const name = batchName({ source: '/home/me/data/emnist/', startedAt: at, imported: 13993 }, 'en-GB');
    expect(name.startsWith('emnist · ')).toBe(true);
    expect(name).toContain('2026');
    expect(name.endsWith('(13,993)')).toBe(true);
    expect(batchName({ source: '/a/x.png, /b/y.png', startedAt: at, imported: 2 }, 'en-GB').startsWith('x.png, y.png · ')).toBe(true);
  });
  const file = (path: string): PickedFile => ({ name: path.split('/').slice(-2).join('/'), path, file: {} as File });
  it('an upload is named by the folder picked, the one file, or a count', () => {
    expect(sourceName([file('digits/A/1.png'), file('digits/B/2.png')])).toBe('digits');
    expect(sourceName([file('A/1.png'), file('B/2.png')])).toBe('A, B');
    expect(sourceName([file('page.png')])).toBe('page.png');
    expect(sourceName([file('a.png'), file('b.png'), file('c.png')])).toBe('3 files');
  });
  it('the core keeps the name without control or bidi characters, and falls back when none is sent', () => {
    expect(uploadSource('emnist\u202e\u0007', [{ name: 'x.png' }, { name: 'y.png' }])).toBe('emnist');
    expect(uploadSource(undefined, [{ name: 'A/x.png' }])).toBe('x.png');
    expect(uploadSource('  ', [{ name: 'x.png' }, { name: 'y.png' }])).toBe('2 uploaded files');
  });
});

describe('start-from list', () => {
  it('says which accuracy each model shows', () => {
    const m = { id: 1, name: 'first-try', dir: '/m/1', classes: 'AB', inputSize: 28, backend: 'wasm', createdAt: 0, macroF1: null, active: false };
    const list = startModels({
      models: [{ ...m, accuracy: 0.497, figuresSplit: 'test' }, { ...m, id: 2, dir: '/m/2', name: 'second', accuracy: 0.46, figuresSplit: 'validation' }],
      bundled: null,
    } as never);
    expect(list.map((s) => s.label)).toEqual(['first-try, test accuracy 49.7%', 'second, validation accuracy 46.0%']);
  });
});
