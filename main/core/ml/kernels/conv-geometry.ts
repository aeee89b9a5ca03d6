import * as tf from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];

export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Conv geometry for an NHWC conv, or null for NCHW. Dilation 1 unless given (tfjs requires 1 for the
 * conv2d gradients; the forward Conv2D may be dilated).
 */
export function convInfo(
  inputShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  dilations: [number, number] | number = 1,
): tf.backend_util.Conv2DInfo | null {
  const fmt = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (fmt !== 'channelsLast') return null;
  return tf.backend_util.computeConv2DInfo(
    inputShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    dilations,
    attrs.pad as 'valid',
    attrs.dimRoundingMode,
    false,
    fmt,
  );
}

/**
 * Rows/cols of the padded input a forward conv actually reads: [top, bottom, left, right] padding,
 * where a negative bottom/right means trailing input rows/cols are never read (VALID leftovers).
 */
export function readWindow(ci: tf.backend_util.Conv2DInfo): { top: number; bottom: number; left: number; right: number } {
  const needH = (ci.outHeight - 1) * ci.strideHeight + ci.filterHeight;
  const needW = (ci.outWidth - 1) * ci.strideWidth + ci.filterWidth;
  const top = ci.padInfo.top;
  const left = ci.padInfo.left;
  return { top, left, bottom: needH - top - ci.inHeight, right: needW - left - ci.inWidth };
}

/** The geometry as the native kernels take it: [n, h, w, cin, ho, wo, cout, fh, fw, sh, sw, dh, dw, padTop, padLeft]. */
export function nativeGeometry(ci: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels,
    ci.outHeight, ci.outWidth, ci.outChannels,
    ci.filterHeight, ci.filterWidth,
    ci.strideHeight, ci.strideWidth, ci.dilationHeight, ci.dilationWidth,
    ci.padInfo.top, ci.padInfo.left,
  ]);
}
