import { z } from 'zod';
import { event, request } from './define';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];
export const IMPORT_FORMATS = ['auto', 'images', 'folder', 'idx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['folder', 'idx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const SORTS = ['newest', 'oldest', 'label', 'confidence'] as const;
export const EDIT_REASONS = ['manual', 'bulk', 'ocr', 'review', 'transcript'] as const;
export type EditReason = (typeof EDIT_REASONS)[number];

const MAX_IDS = 500_000;
const id = z.number().int().positive();
const ids = z.array(id).min(1).max(MAX_IDS);
/** One class: a single character (the class set is a string of them). */
const label = z.string().min(1).max(4);
const path = z.string().min(1).max(4096);

export const sampleFilter = z.strictObject({
  labels: z.array(label).max(1000).optional(),
  splits: z.array(z.enum(SPLITS)).max(3).optional(),
  /** Import batch ids. */
  batches: z.array(id).max(1000).optional(),
  /** Substring of the sample's source (file path, document...). */
  source: z.string().max(1000).optional(),
  unlabeled: z.boolean().optional(),
  /** Confidence of the current model's prediction, 0..1 (samples without one are excluded). */
  minConfidence: z.number().min(0).max(1).optional(),
  maxConfidence: z.number().min(0).max(1).optional(),
  /** Only samples whose predicted label differs from their label. */
  disagree: z.boolean().optional(),
  /** Show soft-deleted samples instead of live ones. */
  deleted: z.boolean().optional(),
  /** Only these samples (a confusion-matrix cell, a selection). */
  ids: z.array(id).max(5000).optional(),
});
export type SampleFilter = z.infer<typeof sampleFilter>;

export interface SampleRow {
  id: number;
  label: string | null;
  split: Split;
  /** Thumbnail PNG, base64 (when asked for). */
  thumb?: string;
  predicted?: string | null;
  confidence?: number | null;
}

export interface HistoryEntry {
  editId: number;
  at: number;
  field: 'label' | 'split' | 'deleted';
  from: string | null;
  to: string | null;
  reason: EditReason;
  undone: boolean;
}

export interface SampleDetail {
  id: number;
  label: string | null;
  split: Split;
  source: string;
  batchId: number | null;
  width: number;
  height: number;
  createdAt: number;
  deletedAt: number | null;
  /** Canonical image (grayscale PNG, white ink on black), base64. */
  image: string;
  history: HistoryEntry[];
  predictions: { modelId: number; label: string; confidence: number; top3: { label: string; confidence: number }[] }[];
}

export interface DatasetStats {
  total: number;
  byClass: Record<string, number>;
  bySplit: Record<Split, number>;
  unlabeled: number;
  deleted: number;
  classes: string;
  batches: { id: number; source: string; format: string; imported: number; startedAt: number }[];
}

/** A label from class folders (or the single-image label) that is not a class: its images were skipped. */
export interface UnknownLabel {
  label: string;
  /** Images skipped for it. */
  count: number;
  /** The class it would take with `capitals` (a lowercase folder whose capital is a class), else null. */
  capital: string | null;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  errors: { file: string; reason: string }[];
  batchId: number;
  /** Folder labels outside the class set (each image also has its error): what to map or add. */
  unknownLabels?: UnknownLabel[];
}

/**
 * `data` of an import's job.progress events: running figures, and with the last event (when the import
 * ends, finished or cancelled) the full summary, so a cancelled import still tells what it did.
 */
export interface ImportProgress {
  imported: number;
  duplicates: number;
  errors: number;
  summary?: ImportSummary & { cancelled: boolean };
}

export interface ExportSummary {
  exported: number;
  /** Unlabeled samples (and, for IDX, labels outside the class set) are not exported. */
  skipped: number;
  files: string[];
}

export interface EditResult {
  editId: number | null;
  /** Samples whose value changed. */
  changed: number;
  ids: number[];
}

/** What undo and redo would do now. */
export interface UndoRedoState {
  undo: PendingEdit | null;
  redo: PendingEdit | null;
}

/** An edit's answer: what it changed, and what undo and redo would do after it (no second request for the buttons). */
export type EditReply = EditResult & UndoRedoState;

/** An edit that undo or redo would apply next. */
export interface PendingEdit {
  editId: number;
  kind: 'label' | 'split' | 'delete' | 'restore';
  reason: EditReason;
  /** Samples it changes. */
  count: number;
  /** The value it sets when it is the same for every sample (label or split; null: unlabeled or mixed). */
  to: string | null;
  at: number;
  /** What it does, for a button or tooltip: "relabel 12 samples to 'A'". */
  text: string;
}

const importOptions = {
  split: z.enum(SPLITS).optional(),
  format: z.enum(IMPORT_FORMATS).default('auto'),
  /** Label for single images (otherwise: from the folder name, the IDX/CSV labels, or unlabeled). */
  label: label.optional(),
  /** EMNIST's distribution files store images transposed. */
  transposed: z.boolean().default(false),
  /** A lowercase class folder (or label) whose capital is a class imports as that capital: x/ → X. */
  capitals: z.boolean().default(false),
};

export const datasetRequests = {
  'dataset.stats': request<DatasetStats>()(z.strictObject({}), 'Counts per class and split, and the import batches.'),
  'dataset.setClasses': request<{ classes: string }>()(
    z.strictObject({ classes: z.string().min(2).max(512) }),
    'Replace the class set (one character per class, no repeats).',
  ),
  'dataset.query': request<{ total: number; rows: SampleRow[] }>()(
    z.strictObject({
      filter: sampleFilter.default({}),
      sort: z.enum(SORTS).default('newest'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
      thumbs: z.boolean().default(true),
    }),
    'A window of samples matching a filter, in order, with thumbnails.',
  ),
  'dataset.ids': request<{ ids: number[] }>()(
    z.strictObject({ filter: sampleFilter.default({}), sort: z.enum(SORTS).default('newest') }),
    'Every id matching a filter, in order (for range selection and bulk edits).',
  ),
  'dataset.sample': request<SampleDetail>()(z.strictObject({ id }), 'One sample with its image, history and predictions.'),
  'dataset.relabel': request<EditReply>()(
    z.strictObject({ ids, label: label.nullable(), reason: z.enum(EDIT_REASONS).default('manual') }),
    'Set the label of one or many samples (null: unlabeled); one undoable edit.',
  ),
  'dataset.setSplit': request<EditReply>()(z.strictObject({ ids, split: z.enum(SPLITS) }), 'Move samples to a split; undoable.'),
  'dataset.delete': request<EditReply>()(z.strictObject({ ids }), 'Soft-delete samples; undoable.'),
  'dataset.restore': request<EditReply>()(z.strictObject({ ids }), 'Bring soft-deleted samples back; undoable.'),
  'dataset.undo': request<EditReply & { kind: string | null }>()(z.strictObject({}), 'Undo the latest edit (persists across sessions).'),
  'dataset.redo': request<EditReply & { kind: string | null }>()(z.strictObject({}), 'Redo the latest undone edit.'),
  'dataset.undoState': request<UndoRedoState>()(
    z.strictObject({}),
    'What undo and redo would do now (nothing is changed).',
  ),
  'dataset.import': request<{ jobId: string }>()(
    z.strictObject({ paths: z.array(path).min(1).max(10_000), ...importOptions }),
    'Import files or folders on this machine as a job; job.finished carries an ImportSummary.',
  ),
  'dataset.importUpload': request<{ jobId: string }>()(
    z.strictObject({
      files: z
        .array(z.strictObject({ name: z.string().min(1).max(1024), data: z.string().max(48 * 1024 * 1024) }))
        .min(1)
        .max(5000),
      /** What the files are, for the import batch's name: the folder or file name a person picked ("emnist"). */
      source: z.string().max(255).optional(),
      ...importOptions,
    }),
    'Browser mode: import files sent as base64 (names may carry a class folder: "A/img1.png").',
  ),
  'dataset.export': request<{ jobId: string }>()(
    z.strictObject({
      format: z.enum(EXPORT_FORMATS),
      out: path,
      filter: sampleFilter.default({}),
      /** IDX only: write .gz files. */
      gzip: z.boolean().default(false),
      /** Replace what exists at `out` (the CLI's --force); without it such an export is refused (conflict). */
      overwrite: z.boolean().default(false),
    }),
    'Export labeled samples as a class-folder tree, IDX (+ mapping.txt) or CSV, as a job; job.finished carries an ExportSummary.',
  ),
};

export const datasetEvents = {
  'dataset.changed': event(
    z.object({
      reason: z.enum(['import', 'edit', 'undo', 'redo', 'classes', 'predictions']),
      ids: z.array(z.number()).optional(),
      /** The edit (its undo or redo) that made the change: a window knows its own edits by it. */
      editId: z.number().int().optional(),
    }),
    'Samples changed: views refresh what they show.',
  ),
};
