// NHWC 2-D convolution and its two gradients on SGEMM, parallel over the batch.
#pragma once

namespace glk {

struct ConvGeom {
  int n, h, w, cin;      // input x [n, h, w, cin]
  int ho, wo, cout;      // output y [n, ho, wo, cout]
  int fh, fw;            // filter [fh, fw, cin, cout]
  int sh, sw, dh, dw;    // strides, dilations
  int padTop, padLeft;   // input rows/cols before the first window
};

// Whether g is self-consistent (positive sizes, windows that start and end inside the padded input).
bool validGeom(const ConvGeom& g);

enum class ConvOp { Forward, Filter, Input };

// Bytes of working memory one call will allocate (im2col buffers and GEMM packing per thread, partial
// filter sums), computed from the geometry alone: checked before a call starts.
double convWorkspaceBytes(const ConvGeom& g, ConvOp op, int threads);

// The kernels below run on up to `threads` threads. An exception in any of them (out of memory, no
// thread) is caught in that thread; every thread is joined, then the first one is rethrown to the caller.

// y = conv(x, filter)
void conv2dForward(const ConvGeom& g, const float* x, const float* filter, float* y, int threads);
// dfilter = sum over the batch of im2col(x)^T * dy
void conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dfilter, int threads);
// dx = col2im(dy * filter^T)
void conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* filter, float* dx, int threads);

}  // namespace glk
