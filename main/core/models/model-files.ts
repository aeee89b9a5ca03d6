import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const WEIGHTS_FILE = 'weights.bin';

/** tfjs weight data (one buffer or several) as one ArrayBuffer. */
export function joinBuffers(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * Writes a LayersModel as TensorFlow.js files: model.json (topology + weights manifest) and one
 * weights.bin, the layout `tf.loadLayersModel('…/model.json')` reads in a browser (and
 * `loadLayersModelFromDir` of ml/inference, the one reader, in Node).
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ? joinBuffers(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), Buffer.from(weightData));
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
}
