import fs from 'node:fs';
import path from 'node:path';
import { resizeArea } from '../../imaging/glyph';
import { TILE } from '../store';
import { boundedLines, MAX_LINE_BYTES } from './csv-lines';
import { type ImportEnv, labelProblem, pause, shown } from './env';
import { type NumericLabels, numericLabel, readMapping } from './mapping';

/**
 * CSV of pixel rows, as in Kaggle's "A-Z handwritten data" and the MNIST CSVs: the label, then width×height
 * pixel values 0-255 (row-major, white ink on black), with or without a header row.
 *
 * Labels:
 * - a header whose first column is `char` (what glyphlab exports): the label is the character itself;
 * - otherwise numeric labels are mapped by `mapping.txt` next to the file (EMNIST format) when present; else,
 *   for Kaggle's A-Z file (name like "A_Z Handwritten Data.csv") 0-25 mean A-Z; else by class-set index
 *   (0-9 → '0'-'9' with the default class set, like MNIST);
 * - a non-numeric label is the character itself; an empty label imports the row unlabeled.
 */
/** Pixels per row at most (256x256): more columns are refused from the first row. */
export const MAX_CSV_PIXELS = 256 * 256;

export const KAGGLE_AZ_RE = /a[\s_-]?z[\s_-]*hand/i;

function numericRule(file: string): NumericLabels {
  const map = readMapping(path.join(path.dirname(file), 'mapping.txt'));
  if (map) return { kind: 'mapping', map };
  if (KAGGLE_AZ_RE.test(path.basename(file))) return { kind: 'letters' };
  return { kind: 'index' };
}

function isNumber(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

export async function importCsv(env: ImportEnv, file: string): Promise<void> {
  const name = env.display(file);
  let rule: NumericLabels;
  try {
    rule = numericRule(file);
  } catch (e) {
    env.errors.add(env.display(path.join(path.dirname(file), 'mapping.txt')), (e as Error).message);
    return;
  }
  const size = fs.statSync(file).size;
  if (size === 0) {
    env.errors.add(name, 'empty file');
    return;
  }
  let row = 0;
  let expected = 0; // pixel values per row
  let side = 0;
  let charLabels = false;
  let bytes = 0;
  let estimated = 0;
  let ticked = 0;
  for await (const { text: line, bytes: n } of boundedLines(file)) {
    row++;
    bytes += n;
    if ((row & 1023) === 0) await pause(env);
    if (line === null) {
      const why = `row ${row}: longer than ${MAX_LINE_BYTES / 1024} KiB (a row holds at most ${MAX_CSV_PIXELS} pixel values)`;
      if (expected === 0) {
        env.errors.add(name, `${why}; file skipped`);
        return;
      }
      env.tick();
      ticked++;
      env.errors.add(`${name}:${row}`, `${why}; row skipped`);
      continue;
    }
    if (!line.trim()) continue;
    const fields = line.split(',');
    if (expected === 0) {
      const pixels = fields.length - 1;
      const s = Math.round(Math.sqrt(pixels));
      if (pixels < 1 || s * s !== pixels || pixels > MAX_CSV_PIXELS) {
        env.errors.add(name, `row ${row}: expected a label and a square number of pixel values (e.g. 784 for 28x28, at most ${MAX_CSV_PIXELS}), found ${fields.length} columns; file skipped`);
        return;
      }
      expected = pixels;
      side = s;
      if (fields.slice(1).some((f) => !isNumber(f))) {
        charLabels = /^(char|character)$/i.test(unquote(fields[0] ?? ''));
        continue; // header row
      }
    }
    if (estimated === 0 && row >= 100) {
      estimated = Math.round((size / bytes) * row);
      env.addTotal(estimated);
    }
    env.tick();
    ticked++;
    if (fields.length !== expected + 1) {
      env.errors.add(`${name}:${row}`, `row ${row}: expected ${expected} pixel values after the label, found ${fields.length - 1}`);
      continue;
    }
    const px = new Uint8Array(expected);
    let bad: string | null = null;
    for (let i = 0; i < expected; i++) {
      const f = fields[i + 1]!;
      const v = Number(f);
      if (f.trim() === '' || !Number.isFinite(v)) {
        bad = `row ${row}, column ${i + 2}: ${shown(f)} is not a number`;
        break;
      }
      if (v < 0 || v > 255) {
        bad = `row ${row}, column ${i + 2}: ${v} is outside 0-255`;
        break;
      }
      px[i] = Math.round(v);
    }
    if (bad) {
      env.errors.add(`${name}:${row}`, bad);
      continue;
    }
    const raw = unquote(fields[0]!);
    let label: string | null = null;
    if (raw === '') label = null;
    else if (!charLabels && /^\d+$/.test(raw)) {
      label = numericLabel(rule, env.classes, Number(raw));
      if (label === null) {
        env.errors.add(`${name}:${row}`, `row ${row}: label ${raw.length > 12 ? `${raw.slice(0, 12)}…` : raw} has no class (${rule.kind === 'mapping' ? 'not in mapping.txt' : rule.kind === 'letters' ? 'A-Z labels are 0-25' : 'beyond the class set'})`);
        continue;
      }
    } else label = raw;
    const problem = label === null ? null : labelProblem(env.classes, label);
    if (problem) {
      env.errors.add(`${name}:${row}`, `row ${row}: ${problem}`);
      continue;
    }
    let tile = px;
    if (side !== TILE) tile = Uint8Array.from(resizeArea(px, side, side, TILE, TILE), (v) => Math.round(v));
    env.writer.add({ px: tile, width: TILE, height: TILE, label, source: `${name}:${row}` });
  }
  env.addTotal(ticked - estimated); // the estimate becomes the real count
}
