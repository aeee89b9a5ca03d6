import { z } from 'zod';
import { event, request } from './define';
import type { BackendInfo, BackendName } from './app';

// Training runs (the models they make are in ./models).

/** On-the-fly augmentation of training images (never of validation or test). */
export const augmentSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Largest rotation, degrees either way. */
  rotation: z.number().min(0).max(45).default(10),
  /** Largest shift, as a fraction of the image side, either way. */
  shift: z.number().min(0).max(0.3).default(0.08),
  /** Largest scale change either way (0.1: 90%..110%). */
  scale: z.number().min(0).max(0.5).default(0.1),
  /** Probability of a stroke thickness change (dilate or erode, 3x3). */
  thickness: z.number().min(0).max(1).default(0.3),
  /** Standard deviation of the pixel noise (images are 0..1). */
  noise: z.number().min(0).max(0.5).default(0.03),
  /** Largest horizontal shear (slant), as x shift per unit of y, either way (0.3: about 17 degrees). */
  shear: z.number().min(0).max(0.6).default(0),
  /** Probability of zooming in (up to 1.6x) until the glyph fills the frame, as a glyph written to fill its box. */
  fill: z.number().min(0).max(1).default(0),
  /** Largest elastic displacement of the strokes, as a fraction of the image side (0.08: about 2 pixels at 28). */
  elastic: z.number().min(0).max(0.2).default(0),
  /** Probability of a Gaussian blur (σ 0.5-1.2 pixels). */
  blur: z.number().min(0).max(1).default(0),
  /** Largest fading of the ink (0.6: down to 40% brightness), evenly or from one side. */
  fade: z.number().min(0).max(0.9).default(0),
  /** Probability of cutting 10-25% of the glyph off on one side. */
  crop: z.number().min(0).max(1).default(0),
});
export type AugmentConfig = z.infer<typeof augmentSchema>;

export const BALANCE_MODES = ['weights', 'sampling', 'none'] as const;
export type BalanceMode = (typeof BALANCE_MODES)[number];

export const LR_SCHEDULES = ['constant', 'cosine', 'onecycle'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export const trainConfigSchema = z.strictObject({
  epochs: z.number().int().min(1).max(1000).default(10),
  batchSize: z.number().int().min(1).max(2048).default(64),
  learningRate: z.number().positive().max(100).default(0.001),
  /**
   * How the learning rate moves over the run: 'constant' keeps it; 'cosine' decays it smoothly from the
   * set rate to 1% of it at the last planned batch. Cosine helps a long run settle at the end; in a short
   * run, still learning fast, it costs accuracy (20,000 samples, 3 epochs: 82.1% vs 83.4% constant).
   * 'onecycle': rises from 1/25 of the set rate to it over the first 30% of the batches, then falls
   * (cosine) to 1/1000 of it (for short runs of a batch-normalized network at a high rate).
   */
  lrSchedule: z.enum(LR_SCHEDULES).default('constant'),
  /** Side of the square network input, pixels. */
  inputSize: z.number().int().min(8).max(128).default(28),
  /** Early stopping: epochs without a better validation loss before stopping (0: off). */
  patience: z.number().int().min(0).max(1000).default(3),
  /** When the dataset has no validation samples: this share of train is held out (by sample id). */
  validationFraction: z.number().min(0.01).max(0.5).default(0.1),
  /**
   * Class imbalance: 'weights' (loss weighted by inverse class frequency), 'sampling' (each epoch
   * draws classes equally often, with replacement) or 'none'.
   */
  balance: z.enum(BALANCE_MODES).default('weights'),
  /**
   * Label smoothing: the minimized loss aims at 1 - s for the true class and s / classes for every class,
   * so the network does not grow overconfident (0: off). Reported losses stay plain cross-entropy.
   */
  labelSmoothing: z.number().min(0).max(0.3).default(0),
  augment: augmentSchema.prefault({}),
  /** Cap on the training samples (quick runs); a deterministic subset. */
  limit: z.number().int().positive().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Network settings (the core's ModelConfig: filters, dense units, dropout...); defaults when absent. */
  model: z.record(z.string(), z.unknown()).optional(),
  /** Training backend for this run; default: the core's preference. */
  backend: z.enum(['auto', 'node', 'wasm', 'cpu']).optional(),
  /**
   * Fine-tuning: a model folder whose weights start this run (instead of random ones). Its classes,
   * input size and network must be this run's.
   */
  initFrom: z.string().min(1).max(4096).optional(),
});
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainConfig = z.output<typeof trainConfigSchema>;

export interface EpochStats {
  epoch: number;
  /** Mean over the epoch's training batches (plain cross-entropy; training mode). */
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSec: number;
  seconds: number;
  /** The learning rate of the epoch's last batch (absent in runs from before schedules). */
  learningRate?: number;
  /** Live tensors after the epoch (a leak shows as growth). */
  numTensors: number;
}

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface TrainingRun {
  id: number;
  name: string;
  modelId: number | null;
  status: RunStatus;
  config: TrainConfig;
  backend: string;
  history: EpochStats[];
  message: string | null;
  startedAt: number;
  endedAt: number | null;
  /** A checkpoint exists and the run did not finish: `training.start({resumeRunId})` continues it. */
  resumable: boolean;
  /** The run's job while it runs in this process. */
  jobId: string | null;
}

export interface TrainStarted {
  runId: number;
  jobId: string;
  backend: BackendInfo;
  /** Set when training will be slow (cpu backend). */
  warning: string | null;
}

const runId = z.number().int().positive();

export const trainingRequests = {
  'training.start': request<TrainStarted>()(
    z.strictObject({
      config: trainConfigSchema.prefault({}),
      name: z.string().min(1).max(200).optional(),
      /** Continue a cancelled, failed or interrupted run from its last checkpoint (its own config is used). */
      resumeRunId: runId.optional(),
      /** Proceed even if only the (very slow) cpu backend loads; otherwise that is refused as 'unsupported'. */
      allowSlow: z.boolean().default(false),
    }),
    'Train a model in a worker thread as a job; job.finished carries {runId, modelId, dir}.',
  ),
  'training.cancel': request<{ cancelled: boolean }>()(
    z.strictObject({
      runId,
      /** Stop the worker at once instead of after the current batch (the last checkpoint stays). */
      force: z.boolean().default(false),
      /** Finish early instead: stop after the current batch and save the best model so far (job ends 'done'). */
      keep: z.boolean().default(false),
    }),
    'Stop a running training: cancel it (resumable from its last checkpoint) or, with keep, end it early keeping the model.',
  ),
  'training.runs': request<TrainingRun[]>()(
    z.strictObject({ limit: z.number().int().min(1).max(1000).default(50) }),
    'Past and running trainings, newest first, with their per-epoch history.',
  ),
  'training.classes': request<{ classes: string }>()(
    z.strictObject({}),
    "The classes a run would train on now (the dataset's class set with labeled train samples); a fine-tuning start model needs the same.",
  ),
  'training.augmentPreview': request<{ original: string; images: string[] }>()(
    z.strictObject({
      sampleId: z.number().int().positive(),
      n: z.number().int().min(1).max(64).default(8),
      augment: augmentSchema.prefault({}),
      inputSize: z.number().int().min(8).max(128).default(28),
      seed: z.number().int().min(0).default(1),
    }),
    'A few augmented versions of one sample (PNG base64, network input size), as training would see them.',
  ),
};

const progressPayload = z.object({
  runId: z.number(),
  jobId: z.string(),
  phase: z.enum(['batch', 'epoch']),
  /** 1-based. */
  epoch: z.number(),
  epochs: z.number(),
  batch: z.number(),
  batches: z.number(),
  /**
   * Training loss and accuracy (plain cross-entropy, as validation computes it, but in training
   * mode: dropout on, augmented images). Phase 'batch': a moving average of the recent batches,
   * carried across epochs; phase 'epoch': the mean over the epoch's batches.
   */
  loss: z.number(),
  accuracy: z.number(),
  /** After each epoch, on the validation images (dropout off, no augmentation); null per batch. */
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  samplesPerSec: z.number(),
  etaSeconds: z.number().nullable(),
  numTensors: z.number().optional(),
  /** Phase 'epoch': the learning rate at the epoch's end (it moves under a schedule). */
  learningRate: z.number().optional(),
  backend: z.string(),
  /** The training worker's own description of its backend (threads, SIMD and native kernels), once it is known. */
  backendDetail: z.string().optional(),
});
export type TrainingProgress = z.infer<typeof progressPayload>;

export const trainingEvents = {
  'training.progress': event(progressPayload, 'Training moved on: per batch (throttled) and per epoch (with validation).'),
};

export type { BackendName };
