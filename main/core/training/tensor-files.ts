import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { joinBuffers } from '../models/model-files';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Named tensors → one binary file + its specs (for optimizer state and weight snapshots). */
export async function writeTensors(file: string, tensors: NamedTensor[]): Promise<tf.io.WeightsManifestEntry[]> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  fs.writeFileSync(file, Buffer.from(joinBuffers(data)));
  return specs;
}

/** Reads tensors written by `writeTensors`, in spec order. */
export function readTensors(file: string, specs: tf.io.WeightsManifestEntry[]): NamedTensor[] {
  const buf = fs.readFileSync(file);
  const map = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
}
