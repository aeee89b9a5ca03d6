import path from 'node:path';
import type { CompareOnDataResult } from '../../../common/contract/learn';
import type { DB } from '../../db/open';
import { decodeGrayPng } from '../../imaging/png';
import { TILE } from '../../datasets/store';
import { readModelMetadata } from '../../ml/inference/model-files';
import { classifierFor } from '../model';
import { documentSamples } from './improve-data';
import { scoreTiles, type LabeledTile, type TileScore } from './measure';

/** Most test-split samples scored (the first ones by id). */
const MAX_TEST = 5000;

function testSplit(db: DB): LabeledTile[] {
  const rows = db
    .prepare(`SELECT s.label, i.png FROM samples s JOIN sample_images i ON i.sample_id = s.id WHERE s.split = 'test' AND s.deleted_at IS NULL AND s.label IS NOT NULL AND s.width = ? AND s.height = ? ORDER BY s.id LIMIT ?`)
    .all(TILE, TILE, MAX_TEST) as { label: string; png: Buffer }[];
  return rows.map((r) => ({ label: r.label, px: decodeGrayPng(r.png).px }));
}

/**
 * Two models (any folders: the person's, the bundled one) on the person's own data: the samples from
 * their documents and their dataset's test split, overall and per class.
 */
export async function compareOnData(db: DB, dirA: string, dirB: string): Promise<CompareOnDataResult> {
  const a = await classifierFor(dirA);
  const b = await classifierFor(dirB);
  const sets: { name: string; tiles: LabeledTile[] }[] = [
    { name: 'your documents', tiles: documentSamples(db, a.classifier.classes) },
    { name: 'your test split', tiles: testSplit(db) },
  ];
  const out: CompareOnDataResult['sets'] = [];
  for (const s of sets) {
    const sa: TileScore = await scoreTiles(a.classifier, s.tiles);
    const sb: TileScore = await scoreTiles(b.classifier, s.tiles);
    out.push({
      name: s.name,
      n: s.tiles.length,
      a: sa.accuracy,
      b: sb.accuracy,
      perClass: Object.keys(sa.perClass)
        .sort()
        .map((label) => ({ label, n: sa.perClass[label]!.n, a: sa.perClass[label]!.correct / sa.perClass[label]!.n, b: sb.perClass[label]!.correct / sb.perClass[label]!.n })),
    });
  }
  const name = (dir: string): string => {
    const n = (readModelMetadata(dir) as { name?: unknown }).name;
    return typeof n === 'string' ? n : path.basename(dir);
  };
  return { a: { dir: a.dir, name: name(a.dir) }, b: { dir: b.dir, name: name(b.dir) }, sets: out };
}
