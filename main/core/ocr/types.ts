import type { Classifier } from '../ml/inference/types';

/**
 * Shared shapes of the OCR pipeline. Images travel between stages as plain typed arrays:
 * `Gray` (0 = black .. 255 = white) and `Mask` (1 = ink, 0 = background), row-major.
 */

export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

/** x, y, width, height in page pixels (after orientation, before deskew: see `PageResult.skewDegrees`). */
export type Box = [number, number, number, number];

/** One decoded page of an input file. */
export interface Page extends Gray {
  /** The file (or upload name) it came from: used in error messages and as the sample source. */
  source: string;
  /** 0-based page index within the file (multi-page TIFF). */
  index: number;
}

/**
 * What the pipeline needs from a character classifier (the ONNX/tfjs `Classifier` of
 * main/core/ml/inference fits it): `pixels` holds n images of inputSize × inputSize in [0,1],
 * white ink on black, normalized like the training data.
 */
export type OcrClassifier = Pick<Classifier, 'classes' | 'inputSize' | 'classify'>;

export type BinarizeMethod = 'auto' | 'otsu' | 'sauvola';

export interface OcrSettings {
  binarize: BinarizeMethod;
  /** Find and correct page skew (up to ±maxSkewDegrees). */
  deskew: boolean;
  maxSkewDegrees: number;
  /** Remove long horizontal/vertical ruling lines (grids, underlines, table borders). */
  removeLines: boolean;
  /** Keep only the line with the tallest characters (a plate number, a heading). */
  mainLine: boolean;
  /** Insert spaces where the gap between characters is wide. */
  spaces: boolean;
  /** Keep the normalized crop of each character (base64 PNG) in the result, for corrections. */
  crops: boolean;
}

export const DEFAULT_SETTINGS: OcrSettings = {
  binarize: 'auto',
  deskew: true,
  maxSkewDegrees: 15,
  removeLines: true,
  mainLine: false,
  spaces: true,
  crops: false,
};

export interface Alternative {
  char: string;
  confidence: number;
}

export interface CharResult {
  box: Box;
  char: string;
  confidence: number;
  /** Top-3 candidates, best first (the first is `char`). */
  alternatives: Alternative[];
  /** Normalized crop (grayscale PNG, white on black, model input size), base64; with `settings.crops`. */
  crop?: string;
}

export interface LineResult {
  text: string;
  box: Box;
  chars: CharResult[];
}

export type StageTimings = {
  decode: number;
  binarize: number;
  deskew: number;
  lines: number;
  components: number;
  segment: number;
  order: number;
  classify: number;
  total: number;
};

export interface PageResult {
  source: string;
  index: number;
  width: number;
  height: number;
  /** Skew found and corrected, degrees (positive: the text rose to the right). Boxes are in the deskewed page. */
  skewDegrees: number;
  binarize: 'otsu' | 'sauvola';
  text: string;
  lines: LineResult[];
  timings: StageTimings;
}
