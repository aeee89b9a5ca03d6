import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ExportFormat, SampleFilter } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import type { JobContext } from '../jobs/registry';
import { decodeGrayPng } from '../imaging/png';
import { classList, getClasses } from './classes';
import { classFolderName } from './folder-names';
import { atomicFile, checkExportTarget, idxFiles, writeFileAtomic } from './export-target';
import { buildFilter, latestModelId } from './query';

export interface ExportSummary {
  exported: number;
  /** Unlabeled samples (and labels outside the class set, for IDX) are not exported. */
  skipped: number;
  files: string[];
}

function csvField(s: string): string {
  return /[",\r\n\s]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface Row {
  id: number;
  label: string;
  width: number;
  height: number;
  png: Buffer;
}

/**
 * Exports the labeled live samples matching a filter, oldest first:
 * - folder: `<out>/<class>/<id>.png` (the stored canonical PNG, byte for byte; Keras class-folder layout);
 * - idx: `<out>/glyphlab-images-idx3-ubyte`, `glyphlab-labels-idx1-ubyte` (+ `.gz` with gzip) and `mapping.txt`
 *   (label = index in the class set, EMNIST's `label code` lines);
 * - csv: `<out>` with a `char,pixel0,…` header, then the label character and the pixels of each sample.
 * Re-importing any of them gives the same samples and labels. Nothing that exists is replaced unless
 * `overwrite` (checkExportTarget); files are written beside their name and renamed into place, and a CSV
 * export with nothing to export writes nothing.
 */
export async function runExport(
  db: DB,
  req: { format: ExportFormat; out: string; filter: SampleFilter; gzip?: boolean; overwrite?: boolean },
  job: Pick<JobContext, 'signal' | 'progress'>,
): Promise<ExportSummary> {
  checkExportTarget(req);
  const b = buildFilter({ ...req.filter, deleted: false }, latestModelId(db));
  const total = db.prepare(`SELECT count(*) FROM ${b.from} WHERE ${b.where}`).pluck().get(...b.params) as number;
  const stmt = db.prepare(
    `SELECT s.id, s.label, s.width, s.height, i.png FROM ${b.from} JOIN sample_images i ON i.sample_id = s.id WHERE ${b.where} ORDER BY s.id ASC`,
  );
  const out = path.resolve(req.out);
  const classes = classList(getClasses(db));
  let exported = 0;
  let skipped = 0;
  let seen = 0;
  const files: string[] = [];
  const tick = () => {
    seen++;
    if ((seen & 1023) === 0) {
      if (job.signal.aborted) throw new GlyphError('cancelled', 'Export cancelled');
      job.progress(seen, total);
    }
  };
  // Opened only where a loop consumes it: an iterator left open keeps the connection busy for every other call.
  const rows = () => stmt.iterate(...b.params) as IterableIterator<Row & { label: string | null }>;

  if (req.format === 'folder') {
    fs.mkdirSync(out, { recursive: true });
    const made = new Set<string>();
    for (const r of rows()) {
      tick();
      if (r.label === null) {
        skipped++;
        continue;
      }
      const dir = path.join(out, classFolderName(r.label));
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(path.join(dir, `${r.id}.png`), r.png);
      exported++;
    }
    files.push(out);
  } else if (req.format === 'idx') {
    if (classes.length > 256) throw new GlyphError('unsupported', `IDX labels are bytes: a class set of ${classes.length} classes does not fit`);
    fs.mkdirSync(out, { recursive: true });
    const index = new Map(classes.map((c, i) => [c, i]));
    const pixels: Buffer[] = [];
    const labels: number[] = [];
    let side = 0;
    for (const r of rows()) {
      tick();
      const li = r.label === null ? undefined : index.get(r.label);
      if (li === undefined) {
        skipped++;
        continue;
      }
      const img = decodeGrayPng(r.png);
      if (side === 0) side = img.width;
      if (img.width !== side || img.height !== side) {
        skipped++;
        continue;
      }
      pixels.push(Buffer.from(img.px.buffer, img.px.byteOffset, img.px.length));
      labels.push(li);
      exported++;
    }
    if (side === 0) side = 28;
    const ih = Buffer.alloc(16);
    ih.writeUInt32BE(0x803, 0);
    ih.writeUInt32BE(labels.length, 4);
    ih.writeUInt32BE(side, 8);
    ih.writeUInt32BE(side, 12);
    const lh = Buffer.alloc(8);
    lh.writeUInt32BE(0x801, 0);
    lh.writeUInt32BE(labels.length, 4);
    const imagesBuf = Buffer.concat([ih, ...pixels]);
    const labelsBuf = Buffer.concat([lh, Buffer.from(labels)]);
    const [imagesFile, labelsFile, mappingFile] = idxFiles(out, Boolean(req.gzip)) as [string, string, string];
    writeFileAtomic(imagesFile, req.gzip ? zlib.gzipSync(imagesBuf) : imagesBuf);
    writeFileAtomic(labelsFile, req.gzip ? zlib.gzipSync(labelsBuf) : labelsBuf);
    writeFileAtomic(mappingFile, classes.map((c, i) => `${i} ${c.codePointAt(0)}\n`).join(''));
    files.push(imagesFile, labelsFile, mappingFile);
  } else {
    const file = atomicFile(out);
    try {
      let chunk: string[] = [];
      for (const r of rows()) {
        tick();
        if (r.label === null) {
          skipped++;
          continue;
        }
        const img = decodeGrayPng(r.png);
        if (exported === 0) fs.writeFileSync(file.fd, `char,${Array.from({ length: img.width * img.height }, (_, i) => `pixel${i}`).join(',')}\n`);
        chunk.push(`${csvField(r.label)},${Array.from(img.px).join(',')}\n`);
        exported++;
        if (chunk.length >= 1000) {
          fs.writeFileSync(file.fd, chunk.join(''));
          chunk = [];
        }
      }
      if (chunk.length) fs.writeFileSync(file.fd, chunk.join(''));
      if (exported > 0) {
        file.commit();
        files.push(out);
      } else file.abort(); // nothing to export: no file, and an existing one stays as it was
    } catch (e) {
      file.abort();
      throw e;
    }
  }
  job.progress(seen, total, `${exported} exported`, undefined, true);
  return { exported, skipped, files };
}
