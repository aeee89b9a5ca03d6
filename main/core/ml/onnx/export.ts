import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GlyphError } from '../../../common/errors';
import { MODEL_FILES } from '../inference/model-files';
import { writeAtomic } from '../inference/tfjs-files';
import { attrInt, attrInts, attrString, floatTensor, floatValueInfo, onnx, type OnnxNode, type OnnxTensor } from './proto';

/** ONNX operator set the graph is written for (Conv, MaxPool, Gemm, Softmax-13 semantics). */
export const ONNX_OPSET = 13;
/** IR version of onnx.proto v1.10 (what onnx-proto encodes); onnxruntime 1.30 reads it. */
export const ONNX_IR_VERSION = 8;
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

export interface OnnxExportOptions {
  /** Class characters, stored in the model's metadata_props (informational). */
  classes?: string;
  graphName?: string;
}

interface LayerConfig {
  activation?: string;
  padding?: string;
  strides?: number[] | number;
  poolSize?: number[] | number;
  kernelSize?: number[] | number;
  dilationRate?: number[] | number;
  dataFormat?: string;
  useBias?: boolean;
}

const pair = (v: number[] | number | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0] ?? dflt, v[1] ?? v[0] ?? dflt];

function unsupported(what: string): never {
  throw new GlyphError('unsupported', `ONNX export: ${what}`);
}

/**
 * Converts a Sequential tfjs LayersModel of glyphlab's architecture (Conv2D + bias + ReLU,
 * MaxPooling2D, Flatten, Dense, Dropout, softmax) into an ONNX model (opset 13).
 *
 * Layout: the ONNX input keeps tfjs's NHWC `[N, H, W, 1]` so callers pass the same pixels to
 * both runtimes; a Transpose makes it NCHW for Conv/MaxPool. tfjs's Flatten reads NHWC order
 * (h, w, c) while ONNX's reads NCHW (c, h, w), so the rows of the Dense kernel that follows the
 * Flatten are permuted once here instead of transposing back at run time.
 */
export function exportOnnx(model: tf.LayersModel, opts: OnnxExportOptions = {}): Uint8Array {
  const inShape = model.inputs[0]?.shape;
  if (!inShape || inShape.length !== 4) unsupported(`expected an image input [n, h, w, c], got [${inShape}]`);
  const [, h0, w0, c0] = inShape as (number | null)[];
  if (!h0 || !w0 || !c0) unsupported(`input shape [${inShape}] must have fixed height, width and channels`);

  const nodes: OnnxNode[] = [];
  const inits: OnnxTensor[] = [];
  let cur = 'input_nchw';
  nodes.push({ opType: 'Transpose', name: 'to_nchw', input: [ONNX_INPUT], output: [cur], attribute: [attrInts('perm', [0, 3, 1, 2])] });
  /** NCHW dims of the current 4-D tensor (null once flattened). */
  let chw: [number, number, number] | null = [c0, h0, w0];
  /** Set by Flatten: the (C,H,W) whose NHWC order the next Dense kernel expects. */
  let flattened: [number, number, number] | null = null;
  let is2d = false;
  let step = 0;

  const add = (opType: string, inputs: string[], attrs: OnnxNode['attribute'] = []) => {
    const out = `${opType.toLowerCase()}_${++step}`;
    nodes.push({ opType, name: out, input: inputs, output: [out], attribute: attrs });
    cur = out;
  };
  const activation = (layerName: string, act: string | undefined) => {
    if (act === undefined || act === 'linear') return;
    if (act === 'relu') add('Relu', [cur]);
    else if (act === 'softmax') add('Softmax', [cur], [attrInt('axis', -1)]);
    else if (act === 'sigmoid') add('Sigmoid', [cur]);
    else if (act === 'tanh') add('Tanh', [cur]);
    else unsupported(`layer ${layerName}: activation '${act}'`);
  };

  const layers = model.layers;
  for (let li = 0; li < layers.length; li++) {
    const layer = layers[li]!;
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as LayerConfig;
    if (cls === 'InputLayer' || cls === 'Dropout') continue; // Dropout: identity at inference
    if (cls === 'BatchNormalization') unsupported(`layer ${layer.name}: batch normalization must follow a Conv2D without activation`);
    if (cls === 'Conv2D' || cls === 'MaxPooling2D') {
      if (!chw) unsupported(`layer ${layer.name}: ${cls} after Flatten`);
      if (cfg.dataFormat && cfg.dataFormat !== 'channelsLast') unsupported(`layer ${layer.name}: dataFormat ${cfg.dataFormat}`);
      const padding = cfg.padding ?? 'valid';
      if (padding !== 'same' && padding !== 'valid') unsupported(`layer ${layer.name}: padding '${padding}'`);
      const autoPad = attrString('auto_pad', padding === 'same' ? 'SAME_UPPER' : 'VALID');
      const strides = pair(cfg.strides, 1);
      const [c, h, w]: [number, number, number] = chw;
      if (cls === 'Conv2D') {
        const dil = pair(cfg.dilationRate, 1);
        if (dil[0] !== 1 || dil[1] !== 1) unsupported(`layer ${layer.name}: dilation ${dil}`);
        const [kernel, bias] = layer.getWeights();
        if (!kernel || kernel.rank !== 4) unsupported(`layer ${layer.name}: no 4-D kernel`);
        const [kh, kw, , filters] = kernel.shape as [number, number, number, number];
        const oihw = tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1])); // HWIO -> OIHW
        const weights = (oihw.dataSync() as Float32Array).slice();
        oihw.dispose();
        let b = bias && cfg.useBias !== false ? (bias.dataSync() as Float32Array) : null;
        const next = layers[li + 1];
        if (next?.getClassName() === 'BatchNormalization') {
          if ((cfg.activation ?? 'linear') !== 'linear') unsupported(`layer ${layer.name}: activation '${cfg.activation}' before batch normalization`);
          b = foldBatchNorm(next, weights, b, filters);
          li++;
        }
        const wName = `${layer.name}_W`;
        inits.push(floatTensor(wName, [filters, kernel.shape[2]!, kh, kw], weights));
        const inputs = [cur, wName];
        if (b) {
          inits.push(floatTensor(`${layer.name}_B`, [filters], b));
          inputs.push(`${layer.name}_B`);
        }
        add('Conv', inputs, [attrInts('kernel_shape', [kh, kw]), attrInts('strides', strides), autoPad]);
        activation(layer.name, cfg.activation);
        chw = padding === 'same'
          ? [filters, Math.ceil(h / strides[0]), Math.ceil(w / strides[1])]
          : [filters, Math.floor((h - kh) / strides[0]) + 1, Math.floor((w - kw) / strides[1]) + 1];
      } else {
        const pool = pair(cfg.poolSize, 2);
        const s = cfg.strides === undefined || cfg.strides === null ? pool : strides;
        add('MaxPool', [cur], [attrInts('kernel_shape', pool), attrInts('strides', s), autoPad]);
        chw = padding === 'same'
          ? [c, Math.ceil(h / s[0]), Math.ceil(w / s[1])]
          : [c, Math.floor((h - pool[0]) / s[0]) + 1, Math.floor((w - pool[1]) / s[1]) + 1];
      }
    } else if (cls === 'Flatten') {
      if (!chw) unsupported(`layer ${layer.name}: Flatten of a flat tensor`);
      add('Flatten', [cur], [attrInt('axis', 1)]);
      flattened = chw;
      chw = null;
      is2d = true;
    } else if (cls === 'Dense') {
      if (!is2d) unsupported(`layer ${layer.name}: Dense on a 4-D tensor (Flatten first)`);
      const [kernel, bias] = layer.getWeights();
      if (!kernel || kernel.rank !== 2) unsupported(`layer ${layer.name}: no 2-D kernel`);
      const [rows, units] = kernel.shape as [number, number];
      let k = kernel.dataSync() as Float32Array;
      if (flattened) {
        if (rows !== flattened[0] * flattened[1] * flattened[2]) unsupported(`layer ${layer.name}: ${rows} inputs after Flatten of [${flattened}]`);
        k = permuteRowsNhwcToNchw(k, flattened, units);
        flattened = null;
      }
      const wName = `${layer.name}_W`;
      inits.push(floatTensor(wName, [rows, units], k));
      const inputs = [cur, wName];
      if (bias && cfg.useBias !== false) {
        inits.push(floatTensor(`${layer.name}_B`, bias.shape, bias.dataSync() as Float32Array));
        inputs.push(`${layer.name}_B`);
      }
      add('Gemm', inputs);
      activation(layer.name, cfg.activation);
    } else if (cls === 'ReLU' || cls === 'Activation' || cls === 'Softmax') {
      activation(layer.name, cls === 'ReLU' ? 'relu' : cls === 'Softmax' ? 'softmax' : cfg.activation);
    } else {
      unsupported(`layer ${layer.name}: type ${cls} is not supported`);
    }
  }
  if (!is2d) unsupported('the model must end in Dense layers after a Flatten');
  // Name the last tensor 'output'.
  const last = nodes[nodes.length - 1]!;
  last.output = [ONNX_OUTPUT];
  const outUnits = (model.outputs[0]?.shape ?? []).at(-1) as number;

  const metadataProps = [{ key: 'producer', value: 'glyphlab' }];
  if (opts.classes !== undefined) metadataProps.push({ key: 'classes', value: opts.classes });
  const message = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'glyphlab',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    metadataProps,
    graph: {
      name: opts.graphName ?? (model.name || 'glyphlab'),
      node: nodes,
      initializer: inits,
      input: [floatValueInfo(ONNX_INPUT, ['N', h0, w0, c0])],
      output: [floatValueInfo(ONNX_OUTPUT, ['N', outUnits])],
    },
  });
  return onnx.ModelProto.encode(message).finish();
}

/**
 * Folds an inference-mode batch normalization, y = gamma·(x − mean)/sqrt(var + eps) + beta per channel,
 * into the convolution before it: scales `oihw`'s filters in place by gamma/sqrt(var + eps) and returns
 * the new bias (beta + (bias − mean)·scale). No BatchNormalization node is left to run at inference.
 */
export function foldBatchNorm(bn: tf.layers.Layer, oihw: Float32Array, bias: Float32Array | null, filters: number): Float32Array {
  const cfg = bn.getConfig() as { axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean };
  const axis = Array.isArray(cfg.axis) ? cfg.axis[0] : cfg.axis;
  if (axis !== -1 && axis !== 3) unsupported(`layer ${bn.name}: batch normalization over axis ${axis} (channels last only)`);
  const byName = new Map(bn.weights.map((w, i) => [w.originalName.split('/').pop()!, bn.getWeights()[i]!]));
  const read = (name: string, dflt: number): Float32Array => {
    const t = byName.get(name);
    if (t && t.size !== filters) unsupported(`layer ${bn.name}: ${name} has ${t.size} values for ${filters} filters`);
    return t ? (t.dataSync() as Float32Array) : new Float32Array(filters).fill(dflt);
  };
  const gamma = read('gamma', 1);
  const beta = read('beta', 0);
  const mean = read('moving_mean', 0);
  const variance = read('moving_variance', 1);
  const eps = cfg.epsilon ?? 1e-3;
  const per = oihw.length / filters;
  const out = new Float32Array(filters);
  for (let o = 0; o < filters; o++) {
    const scale = gamma[o]! / Math.sqrt(variance[o]! + eps);
    for (let k = o * per; k < (o + 1) * per; k++) oihw[k] = oihw[k]! * scale;
    out[o] = beta[o]! + ((bias ? bias[o]! : 0) - mean[o]!) * scale;
  }
  return out;
}

/**
 * Dense kernel rows are indexed by tfjs's NHWC flatten ((h·W + w)·C + c); ONNX flattens NCHW
 * ((c·H + h)·W + w). Returns the kernel with rows in NCHW order.
 */
export function permuteRowsNhwcToNchw(kernel: Float32Array, [c, h, w]: [number, number, number], units: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let ci = 0; ci < c; ci++) {
    for (let hi = 0; hi < h; hi++) {
      for (let wi = 0; wi < w; wi++) {
        const src = ((hi * w + wi) * c + ci) * units;
        const dst = ((ci * h + hi) * w + wi) * units;
        out.set(kernel.subarray(src, src + units), dst);
      }
    }
  }
  return out;
}

/** Exports `model` to `<modelDir>/model.onnx` (written atomically); returns the file path. */
export function exportOnnxToDir(model: tf.LayersModel, modelDir: string, opts: OnnxExportOptions = {}): string {
  const bytes = exportOnnx(model, opts);
  fs.mkdirSync(modelDir, { recursive: true });
  const file = path.join(modelDir, MODEL_FILES.onnx);
  writeAtomic(file, bytes);
  return file;
}
