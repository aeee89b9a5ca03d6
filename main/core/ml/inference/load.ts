import fs from 'node:fs';
import path from 'node:path';
import { MODEL_FILES, readModelMetadata } from './model-files';
import { loadOnnxClassifier } from './onnx-classifier';
import { loadTfjsClassifier } from './tfjs-classifier';
import type { Classifier, LoadClassifierOptions } from './types';

function firstLine(e: unknown): string {
  return ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').slice(0, 200);
}

/**
 * Loads the classifier of a model folder (`metadata.json` + `model.json`/weights, optionally
 * `model.onnx`). onnxruntime-node runs it when `model.onnx` exists and ORT loads; otherwise
 * TensorFlow.js does, and `reason` says why (missing file, ORT load error, or asked for tfjs).
 * Throws GlyphError not_found/bad_input naming the file when the folder is not a usable model.
 */
export async function loadClassifier(modelDir: string, opts: LoadClassifierOptions = {}): Promise<Classifier> {
  const meta = readModelMetadata(modelDir);
  const onnxFile = path.join(modelDir, MODEL_FILES.onnx);
  let reason: string;
  if (opts.prefer === 'tfjs') {
    reason = 'asked for tfjs';
  } else if (!fs.existsSync(onnxFile)) {
    reason = `${MODEL_FILES.onnx} missing`;
  } else {
    try {
      return await loadOnnxClassifier(onnxFile, meta, { threads: opts.threads, maxBatch: opts.maxBatch });
    } catch (e) {
      reason = `onnxruntime failed: ${firstLine(e)}`;
    }
  }
  return loadTfjsClassifier(modelDir, meta, reason, opts.maxBatch);
}
