import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { GlyphError } from '../../../common/errors';
import { MODEL_FILES } from './model-files';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/**
 * Reads a TensorFlow.js LayersModel saved as `model.json` + weight files in `dir` (the layout
 * `tf.io` writes; plain tfjs has no file:// loader in Node, hence this handler).
 */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const file = path.join(dir, MODEL_FILES.tfjs);
  let json: ModelJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJson;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GlyphError('not_found', `${file}: missing`);
    throw new GlyphError('bad_input', `${file}: ${(e as Error).message}`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new GlyphError('bad_input', `${file}: not a TensorFlow.js layers model (no modelTopology/weightsManifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const wfile = path.resolve(dir, p);
      if (path.dirname(wfile) !== path.resolve(dir)) throw new GlyphError('bad_input', `${file}: weight path '${p}' leaves the model folder`);
      try {
        buffers.push(fs.readFileSync(wfile));
      } catch (e) {
        throw new GlyphError('bad_input', `${wfile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (e as Error).message}`);
      }
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? null,
  };
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new GlyphError('bad_input', `${file}: cannot load the model: ${(e as Error).message}`);
  }
}

/** Writes `data` under a temporary name, then renames it: readers never see half a file. */
export function writeAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${threadId}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
