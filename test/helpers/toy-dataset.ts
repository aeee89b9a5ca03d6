/**
 * A tiny dataset for UI tests, made in code and imported through the core as a person would: PNG
 * class folders (toy shapes 'O', 'X', 'I', white ink on black) per split, via `dataset.import`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../main/core';
import type { Input, Output, RequestName } from '../../main/common/contract';
import { encodeGrayPng } from '../../main/core/imaging/png';
import { Rng } from '../../main/core/training/rng';

type Call = <K extends RequestName>(method: K, params: Input<K>) => Promise<Output<K>>;
export type ToySplit = 'train' | 'validation' | 'test';

/** Resolves with a job's result when its `job.finished` arrives; rejects when it failed. */
export function jobResult<R>(core: Pick<Core, 'onEvent'>, start: Promise<{ jobId: string }>): Promise<R> {
  return new Promise((resolve, reject) => {
    const seen = new Map<string, { status: string; result?: unknown; error?: { message: string } }>();
    let id: string | null = null;
    const settle = (p: { status: string; result?: unknown; error?: { message: string } }) => {
      off();
      if (p.status === 'done') resolve(p.result as R);
      else reject(new Error(p.error?.message ?? p.status));
    };
    const off = core.onEvent((name, payload) => {
      if (name !== 'job.finished') return;
      const p = payload as { id: string; status: string; result?: unknown; error?: { message: string } };
      if (id === null) seen.set(p.id, p);
      else if (p.id === id) settle(p);
    });
    start.then((r) => {
      id = r.jobId;
      const early = seen.get(id);
      if (early) settle(early);
    }, reject);
  });
}

function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/**
 * One anti-aliased toy glyph, white on black: 'O' an ellipse, 'X' a cross, anything else a bar, with
 * random size, slant and stroke width, so that no two are the same once the import crops and centres them.
 */
export function toyShape(kind: string, size: number, rng: Rng): Uint8Array {
  const img = new Uint8Array(size * size);
  const k = size / 28;
  const stroke = (1.2 + rng.next() * 1.6) * k;
  const shear = (rng.next() - 0.5) * 0.5;
  const h = (8 + rng.next() * 3) * k;
  const w = (5 + rng.next() * 4) * k;
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = y + 0.5 - c;
      const u = x + 0.5 - c - shear * v;
      let d: number;
      if (kind === 'O') d = Math.abs(Math.hypot(u / w, v / h) - 1) * Math.min(w, h);
      else if (kind === 'X') d = Math.min(segment(u, v, -w, -h, w, h), segment(u, v, w, -h, -w, h));
      else d = segment(u, v, 0, -h, 0, h);
      img[y * size + x] = Math.round(255 * Math.max(0, Math.min(1, stroke - d)));
    }
  }
  return img;
}

/** Writes `<dir>/<split>/<class>/<n>.png` for the given counts per class. */
export function writeToyFolders(dir: string, perClass: Partial<Record<ToySplit, number>>, opts: { classes?: string; size?: number; seed?: number } = {}): Record<ToySplit, string> {
  const classes = opts.classes ?? 'OXI';
  const size = opts.size ?? 28;
  const rng = new Rng(opts.seed ?? 11);
  const out = {} as Record<ToySplit, string>;
  for (const split of ['train', 'validation', 'test'] as const) {
    out[split] = path.join(dir, split);
    for (const c of classes) {
      const folder = path.join(out[split], c);
      fs.mkdirSync(folder, { recursive: true });
      for (let i = 0; i < (perClass[split] ?? 0); i++) {
        const data = toyShape(c, size, rng);
        fs.writeFileSync(path.join(folder, `${i}.png`), encodeGrayPng(data, size, size));
      }
    }
  }
  return out;
}

/** Toy folders imported into the core's dataset, split by split. */
export async function importToyDataset(
  app: { core: Pick<Core, 'onEvent'>; call: Call; dir: string },
  perClass: Partial<Record<ToySplit, number>>,
  opts: { classes?: string; size?: number; seed?: number } = {},
): Promise<void> {
  const folders = writeToyFolders(path.join(app.dir, 'toy-import'), perClass, opts);
  for (const split of ['train', 'validation', 'test'] as const) {
    if (!perClass[split]) continue;
    const summary = await jobResult<{ imported: number; errors: unknown[] }>(
      app.core,
      app.call('dataset.import', { paths: [folders[split]], split, format: 'folder' }),
    );
    if (summary.errors.length) throw new Error(`toy import (${split}): ${JSON.stringify(summary.errors.slice(0, 3))}`);
  }
}
