import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boundedLines } from '../../../main/core/datasets/import/csv-lines';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeCsv } from './fixtures';

let t: ReturnType<typeof tmpCore>;
beforeEach(() => (t = tmpCore()));
afterEach(() => t.close());

const imp = (paths: string[]) => waitJob<Summary>(t.core, () => t.call('dataset.import', { paths }));
const row = (label: string | number, seed: number) => `${label},${Array.from(tile(seed)).join(',')}\n`;

describe('CSV import bounds', () => {
  it('skips a row over 1 MiB without holding it, and imports the rows around it', async () => {
    const file = path.join(t.dir, 'long.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, row(1, 1));
    const junk = Buffer.alloc(4 * 1024 * 1024, '0,'); // one 24 MiB row, in pieces
    fs.writeSync(fd, '2,');
    for (let i = 0; i < 6; i++) fs.writeSync(fd, junk);
    fs.writeSync(fd, '0\n');
    fs.writeSync(fd, row(3, 3));
    fs.closeSync(fd);
    const s = await imp([file]);
    expect(s.imported).toBe(2);
    expect(s.errors).toEqual([{ file: expect.stringMatching(/long\.csv:2$/), reason: expect.stringMatching(/^row 2: longer than 1024 KiB/) }]);
  });

  it('refuses a first row of more than 256x256 pixel values', async () => {
    const file = path.join(t.dir, 'wide.csv');
    fs.writeFileSync(file, `1,${new Array(300 * 300).fill(0).join(',')}\n`);
    const s = await imp([file]);
    expect(s.imported).toBe(0);
    expect(s.errors[0]!.reason).toMatch(/found 90001 columns; file skipped/);
  });

  it('quotes what it shows of a field: short, control and quote characters escaped', async () => {
    const evil = `\u001b[31m'; rm -rf ${'x'.repeat(500)}`;
    const px = Array.from(tile(5), String);
    px[10] = evil;
    const file = writeCsv(path.join(t.dir, 'evil.csv'), [{ label: 1, px: Array.from(tile(4)) }, { label: 2, px }, { label: '\u202eA\u0007', px: Array.from(tile(6)) }]);
    const s = await imp([file]);
    const reasons = s.errors.map((e) => e.reason);
    expect(reasons).toEqual([
      "row 2, column 12: '\\u001b[31m\\u0027; rm -rf x…' is not a number",
      expect.stringMatching(/^row 3: label '\\u202eA\\u0007' is not in the class set/),
    ]);
    expect(reasons.join('').length).toBeLessThan(300);
  });

  it('splits lines on \\n and \\r\\n, across read pieces, and marks the long ones', async () => {
    const file = path.join(t.dir, 'lines.txt');
    fs.writeFileSync(file, `a\r\n${'b'.repeat(100_000)}\nc\n${'d'.repeat(70_000)}\n\ne`);
    const lines = [];
    for await (const l of boundedLines(file, 80_000)) lines.push(l.text === null ? `null:${l.bytes}` : l.text.length > 5 ? `${l.text[0]}x${l.text.length}` : l.text);
    expect(lines).toEqual(['a', 'null:100001', 'c', 'dx70000', '', 'e']);
  });
});
