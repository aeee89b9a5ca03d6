import { ocrSettings, type OcrSettings } from '../../common/contract/ocr';
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

/** x, y, width, height in page pixels (of the deskewed page: see `skewDegrees` in the page result). */
export type { OcrBox as Box } from '../../common/contract/ocr';

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

export type { OcrSettings };
export type BinarizeMethod = OcrSettings['binarize'];

/** Settings as the contract's defaults give them (profile `text`). */
export const DEFAULT_SETTINGS: OcrSettings = ocrSettings.parse({});
