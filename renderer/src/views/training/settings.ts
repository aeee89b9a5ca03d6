/**
 * The training form's state: what a person edits (plain numbers and toggles), its defaults, and the
 * contract's `TrainConfigInput` built from it. Kept in localStorage between sessions.
 */
import type { AugmentConfig, BalanceMode, LrSchedule, ModelList, TrainConfigInput } from '$common/contract';
import { LR_SCHEDULES, augmentSchema } from '$common/contract';
import { accuracyLabel } from './format';

export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';
export type NetworkSize = 'small' | 'standard' | 'batchnorm' | 'large';

/** Network presets (the core's ModelConfig: conv filters per block, hidden dense units, dropout, batch norm). */
export const NETWORKS: Record<NetworkSize, { label: string; model: { filters: number[]; dense: number[]; dropout: number; batchNorm?: boolean } }> = {
  small: { label: 'Small (fast, for quick tries)', model: { filters: [8, 16], dense: [32], dropout: 0 } },
  standard: { label: 'Standard', model: { filters: [32, 64, 128], dense: [256, 128], dropout: 0.4 } },
  batchnorm: { label: 'Batch-normalized (learns in fewer epochs)', model: { filters: [24, 48, 96], dense: [256, 128], dropout: 0.25, batchNorm: true } },
  large: { label: 'Large (slow)', model: { filters: [48, 96, 192], dense: [512, 256], dropout: 0.5 } },
};

export interface TrainForm {
  name: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  lrSchedule: LrSchedule;
  inputSize: number;
  patience: number;
  validationFraction: number;
  balance: BalanceMode;
  /** 0: all training samples. */
  limit: number;
  seed: number;
  /** 0: off. */
  labelSmoothing: number;
  backend: BackendChoice;
  network: NetworkSize;
  /** '' for a new network, else the folder of the model to fine-tune (its network and input size are used). */
  startFrom: string;
  augment: AugmentConfig;
}

/** A model a run can start from (fine-tuning). */
export interface StartModel {
  dir: string;
  label: string;
  classes: string;
  inputSize: number;
}

export const DEFAULT_AUGMENT: AugmentConfig = augmentSchema.parse({});

export function defaultForm(): TrainForm {
  return {
    name: '',
    epochs: 10,
    batchSize: 64,
    learningRate: 0.001,
    lrSchedule: 'constant',
    inputSize: 28,
    patience: 3,
    validationFraction: 0.1,
    balance: 'weights',
    limit: 0,
    seed: 1,
    labelSmoothing: 0,
    backend: 'auto',
    network: 'standard',
    startFrom: '',
    augment: { ...DEFAULT_AUGMENT },
  };
}

/** The models a run can start from: the registry's, then the bundled default. */
export function startModels(list: ModelList): StartModel[] {
  // Say which figure it is: the test accuracy when the model has one, else the validation accuracy.
  const pct = (a: number | null, split: 'test' | 'validation' | null) => (a == null ? '' : `, ${accuracyLabel(a, split)}`);
  const out: StartModel[] = list.models.map((m) => ({
    dir: m.dir,
    label: `${m.name}${pct(m.accuracy, m.figuresSplit)}`,
    classes: m.classes,
    inputSize: m.inputSize,
  }));
  if (list.bundled) {
    const b = list.bundled;
    out.push({ dir: b.dir, label: `${b.name} (bundled)${pct(b.accuracy, b.figuresSplit)}`, classes: b.classes, inputSize: b.inputSize });
  }
  return out;
}

const STORE_KEY = 'glyphlab.training.form';

export function loadForm(): TrainForm {
  const base = defaultForm();
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as Partial<TrainForm> | null;
    if (!saved || typeof saved !== 'object') return base;
    const merged = { ...base, ...saved, augment: { ...base.augment, ...(saved.augment ?? {}) } };
    if (!(merged.network in NETWORKS)) merged.network = base.network;
    if (!(LR_SCHEDULES as readonly string[]).includes(merged.lrSchedule)) merged.lrSchedule = base.lrSchedule;
    return merged;
  } catch {
    return base;
  }
}

export function saveForm(form: TrainForm): void {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(form));
  } catch {
    // Private mode or a full storage: the form still works, it is just not remembered.
  }
}

/** The request's config (the core validates it again and applies its own defaults). */
export function toConfig(form: TrainForm): TrainConfigInput {
  return {
    epochs: form.epochs,
    batchSize: form.batchSize,
    learningRate: form.learningRate,
    lrSchedule: form.lrSchedule,
    inputSize: form.inputSize,
    patience: form.patience,
    validationFraction: form.validationFraction,
    balance: form.balance,
    augment: { ...form.augment },
    ...(form.limit > 0 ? { limit: form.limit } : {}),
    seed: form.seed,
    ...(form.labelSmoothing > 0 ? { labelSmoothing: form.labelSmoothing } : {}),
    model: { ...NETWORKS[form.network].model },
    backend: form.backend,
    // Fine-tuning: the core trains the start model's own network at its input size.
    ...(form.startFrom ? { initFrom: form.startFrom } : {}),
  };
}

/** Problems a person can fix before starting (the core checks again). */
export function formProblems(form: TrainForm): string[] {
  const out: string[] = [];
  const int = (v: number, lo: number, hi: number, what: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) out.push(`${what} must be a whole number from ${lo} to ${hi}`);
  };
  int(form.epochs, 1, 1000, 'Epochs');
  int(form.batchSize, 1, 2048, 'Batch size');
  int(form.inputSize, 8, 128, 'Input size');
  int(form.patience, 0, 1000, 'Patience');
  int(form.limit, 0, 100_000_000, 'Limit');
  if (!(form.learningRate > 0 && form.learningRate <= 100)) out.push('Learning rate must be above 0');
  if (!(form.validationFraction >= 0.01 && form.validationFraction <= 0.5)) out.push('Validation share must be from 0.01 to 0.5');
  return out;
}

/** The backend a run would use, as far as the renderer knows (the core decides). */
export function expectedBackend(choice: BackendChoice, coreBackend: string | undefined): string | undefined {
  return choice === 'auto' ? coreBackend : choice;
}
