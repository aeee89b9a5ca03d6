import { describe, expect, it } from 'vitest';
import { batchName, historyText, sourceName } from '../../../renderer/src/views/dataset/names';
import { uploadSource } from '../../../main/core/datasets/import/upload';
import { accuracyLabel } from '../../../renderer/src/views/training/format';

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
  const file = (path: string) => ({ name: path.split('/').slice(-2).join('/'), path });
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

describe('accuracy figures', () => {
  it('say which split they are on', () => {
    expect(accuracyLabel(0.497, 'test')).toBe('test accuracy 49.7%');
    expect(accuracyLabel(0.46, 'validation')).toBe('validation accuracy 46.0%');
    expect(accuracyLabel(0.46, null)).toBe('validation accuracy 46.0%');
    expect(accuracyLabel(null, 'test')).toBe('');
  });
});
