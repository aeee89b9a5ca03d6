// Single-pass training kernels on flat float32 arrays (NHWC), each one sequential sweep over memory:
// the 2x2 max-pool gradient, the bias gradient's sum over rows, and the fused Adam update.
#pragma once
#include <cstddef>

namespace glk {

// dx = gradient of a 2x2, stride-2, unpadded max pool: each window's dy goes to its first maximum in
// row-major order (strict '>' from -infinity: a window of only -inf/NaN gets none); rows/cols no
// window covers (odd sizes) get 0.
void maxPoolGrad2x2(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int ho, int wo);

// out[j] = sum over the rows of x [rows, c] (accumulated in double).
void sumRows(const float* x, std::size_t rows, int c, float* out);

struct AdamStep {
  // 1 - beta rounded from double (1 - 0.999f would be 1.3e-5 off); step = learning rate / (1 - beta1^t).
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, step, correction2, epsilon;
};

// m' = b1 m + (1-b1) g,  v' = b2 v + (1-b2) g^2,  w' = w - step m' / (sqrt(v'/c2) + eps), in float32.
void adamStep(const float* w, const float* m, const float* v, const float* g, float* wo, float* mo, float* vo,
              std::size_t n, const AdamStep& a);

}  // namespace glk
