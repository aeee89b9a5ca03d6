import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../../../main/common/contract';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, inkImage, waitJob } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => {
  t = tmpCore();
});
afterEach(async () => {
  await t.close();
});

const imp = (params: Input<'dataset.import'>) => waitJob<Summary & { unknownLabels?: unknown }>(t.core, () => t.call('dataset.import', params));

/** x/ (two images), a lowercase class folder; A/ one image; é/ one image (no capital in the set). */
async function tree(): Promise<string> {
  const root = path.join(t.dir, 'tree');
  await inkImage(path.join(root, 'x', '1.png'), { seed: 1 });
  await inkImage(path.join(root, 'x', '2.png'), { seed: 2 });
  await inkImage(path.join(root, 'A', '1.png'), { seed: 3 });
  await inkImage(path.join(root, 'é', '1.png'), { seed: 4 });
  return root;
}

describe('a lowercase class folder', () => {
  it('is skipped with an error that says what to do, and the summary lists what can be mapped or added', async () => {
    const s = await imp({ paths: [await tree()] });
    expect(s.imported).toBe(1);
    const x = s.errors.find((e) => e.file.endsWith(path.join('x', '1.png')))!;
    expect(x.reason).toMatch(/label 'x' is not in the class set '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ': import it as 'X' .*--capitals.* or add it to the classes/);
    expect(s.errors.find((e) => e.file.includes('é'))!.reason).toMatch(/add it to the classes \(Classes → Edit\)/);
    expect(s.unknownLabels).toEqual([
      { label: 'x', count: 2, capital: 'X' },
      { label: 'é', count: 1, capital: null },
    ]);
  });

  it('imports as its capital with capitals, and as itself once added to the classes', async () => {
    const root = await tree();
    const s = await imp({ paths: [root], capitals: true });
    expect(s.imported).toBe(3);
    expect(s.unknownLabels).toEqual([{ label: 'é', count: 1, capital: null }]);
    expect((await t.call('dataset.stats', {})).byClass).toMatchObject({ X: 2, A: 1 });

    await t.call('dataset.setClasses', { classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZé' });
    const again = await imp({ paths: [root], capitals: true });
    expect(again.imported).toBe(1);
    expect(again.duplicates).toBe(3);
    expect(again.unknownLabels).toBeUndefined();
    const stats = await t.call('dataset.stats', {});
    expect(stats.byClass).toMatchObject({ X: 2, A: 1, é: 1 });
    expect(stats.total).toBe(4);
  });
});
