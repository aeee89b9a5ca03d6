import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { datasetRequests, type ImportSummary } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import { getClasses, setClasses, validateClasses } from './classes';
import { redo, relabel, restore, setSplit, softDelete, undo, undoState } from './edits';
import { runExport } from './export';
import { checkExportTarget } from './export-target';
import { type ImportRequest, runImport } from './import/run';
import { stageUpload, uploadSource } from './import/upload';
import { getSample, getStats, queryIds, querySamples } from './query';

export type DatasetHandlers = Pick<Handlers, keyof typeof datasetRequests>;

/** Ids are sent with `dataset.changed` only for small changes; big ones just say "refresh". */
const MAX_EVENT_IDS = 5000;

export function createDatasetHandlers(ctx: CoreContext): DatasetHandlers {
  const { db } = ctx;
  const changed = (reason: 'import' | 'edit' | 'undo' | 'redo' | 'classes', ids?: number[], editId?: number | null) =>
    ctx.emit('dataset.changed', {
      reason,
      ...(ids && ids.length <= MAX_EVENT_IDS ? { ids } : {}),
      ...(editId !== undefined && editId !== null ? { editId } : {}),
    });

  const startImport = (req: ImportRequest, title: string, after?: () => void) =>
    ctx.jobs.start('import', title, async ({ signal, progress }): Promise<ImportSummary> => {
      try {
        const r = await runImport(db, req, { signal, progress });
        changed('import');
        const { cancelled: _c, ...summary } = r;
        return summary;
      } finally {
        after?.();
      }
    });

  return {
    'dataset.stats': () => getStats(db),
    'dataset.setClasses': ({ classes }) => {
      validateClasses(classes);
      setClasses(db, classes);
      changed('classes');
      return { classes: getClasses(db) };
    },
    'dataset.query': (q) => querySamples(db, q),
    'dataset.ids': ({ filter, sort }) => ({ ids: queryIds(db, filter, sort) }),
    'dataset.sample': ({ id }) => getSample(db, id),
    'dataset.relabel': ({ ids, label, reason }) => {
      const r = relabel(db, ids, label, reason === 'manual' && ids.length > 1 ? 'bulk' : reason);
      if (r.changed) changed('edit', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.setSplit': ({ ids, split }) => {
      const r = setSplit(db, ids, split);
      if (r.changed) changed('edit', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.delete': ({ ids }) => {
      const r = softDelete(db, ids);
      if (r.changed) changed('edit', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.restore': ({ ids }) => {
      const r = restore(db, ids);
      if (r.changed) changed('edit', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.undo': () => {
      const r = undo(db);
      if (r.editId !== null) changed('undo', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.redo': () => {
      const r = redo(db);
      if (r.editId !== null) changed('redo', r.ids, r.editId);
      return { ...r, ...undoState(db) };
    },
    'dataset.undoState': () => undoState(db),
    'dataset.import': ({ paths, format, split, label, transposed, capitals }) => {
      const title = `Import ${paths.length === 1 ? paths[0] : `${paths.length} paths`}`;
      return { jobId: startImport({ paths, format, split, label, transposed, capitals }, title).id };
    },
    'dataset.importUpload': ({ files, source, format, split, label, transposed, capitals }) => {
      const staged = stageUpload(ctx.dataDir, files);
      const title = `Import ${files.length} uploaded file${files.length === 1 ? '' : 's'}`;
      const job = startImport(
        { paths: staged.paths, format, split, label, transposed, capitals, display: staged.display, batchSource: uploadSource(source, files) },
        title,
        staged.cleanup,
      );
      return { jobId: job.id };
    },
    'dataset.export': ({ format, out, filter, gzip, overwrite }) => {
      if (!out.trim()) throw new GlyphError('validation', 'export: no output path');
      checkExportTarget({ format, out, gzip, overwrite }); // refused now, not as a failed job
      const job = ctx.jobs.start('export', `Export ${format} to ${out}`, ({ signal, progress }) =>
        runExport(db, { format, out, filter, gzip, overwrite }, { signal, progress }),
      );
      return { jobId: job.id };
    },
  };
}
