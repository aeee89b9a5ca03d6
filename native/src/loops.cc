// The loops are written branch-free over the channels (the inner, contiguous axis) so the compiler
// vectorises them; on x86 each is compiled twice, for AVX2+FMA (chosen at run time, like the GEMM's
// micro-kernel) and for the baseline.
#include "loops.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gemm.h"

#if defined(__GNUC__)
#define GLK_INLINE inline __attribute__((always_inline))
#define GLK_RESTRICT __restrict__
#else
#define GLK_INLINE inline
#define GLK_RESTRICT __restrict
#endif
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define GLK_AVX2_VARIANT 1
#endif

namespace glk {
namespace {

// One output row of 2x2 windows: rows x0 (the window's top) and x1 (its bottom) of the input, dy's row.
GLK_INLINE void poolRow(const float* GLK_RESTRICT x0, const float* GLK_RESTRICT x1, const float* GLK_RESTRICT g,
                        float* GLK_RESTRICT d0, float* GLK_RESTRICT d1, int wo, int c) {
  const float lowest = -std::numeric_limits<float>::infinity();
  for (int yc = 0; yc < wo; yc++, x0 += 2 * c, x1 += 2 * c, d0 += 2 * c, d1 += 2 * c, g += c) {
    for (int ch = 0; ch < c; ch++) {
      // Strict '>' from -infinity: the first maximum in row-major order wins; NaN never does.
      const float a = x0[ch], b = x0[c + ch], e = x1[ch], f = x1[c + ch];
      // Which cell is the best so far after each (bitwise, not '&&': no branches in the loop).
      const int wa = a > lowest;
      const float ma = wa ? a : lowest;
      const int wb = b > ma;
      const float mb = wb ? b : ma;
      const int we = e > mb;
      const float me = we ? e : mb;
      const int wf = f > me;
      const float v = g[ch];
      const int ne = we & (wf ^ 1), nb = wb & (we ^ 1) & (wf ^ 1);
      d1[c + ch] = wf ? v : 0.0f;
      d1[ch] = ne ? v : 0.0f;
      d0[c + ch] = nb ? v : 0.0f;
      d0[ch] = (wa & (wb ^ 1) & (we ^ 1) & (wf ^ 1)) ? v : 0.0f;
    }
  }
}

GLK_INLINE void poolAll(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int ho, int wo) {
  const std::size_t rowC = std::size_t(w) * c;
  for (int b = 0; b < n; b++) {
    for (int yr = 0; yr < ho; yr++) {
      const std::size_t top = (std::size_t(b) * h + 2 * yr) * rowC;
      poolRow(x + top, x + top + rowC, dy + (std::size_t(b) * ho + yr) * wo * c, dx + top, dx + top + rowC, wo, c);
    }
  }
}

GLK_INLINE void adamAll(const float* GLK_RESTRICT w, const float* GLK_RESTRICT m, const float* GLK_RESTRICT v,
                        const float* GLK_RESTRICT g, float* GLK_RESTRICT wo, float* GLK_RESTRICT mo, float* GLK_RESTRICT vo,
                        std::size_t n, const AdamStep& a) {
  const float b1 = a.beta1, b1c = a.oneMinusBeta1, b2 = a.beta2, b2c = a.oneMinusBeta2;
  const float step = a.step, c2 = a.correction2, eps = a.epsilon;
  for (std::size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = b1 * m[i] + b1c * gi;
    const float vi = b2 * v[i] + b2c * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    wo[i] = w[i] - step * mi / (std::sqrt(vi / c2) + eps);
  }
}

void poolGeneric(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int ho, int wo) {
  poolAll(x, dy, dx, n, h, w, c, ho, wo);
}
void adamGeneric(const float* w, const float* m, const float* v, const float* g, float* wo, float* mo, float* vo, std::size_t n,
                 const AdamStep& a) {
  adamAll(w, m, v, g, wo, mo, vo, n, a);
}

#ifdef GLK_AVX2_VARIANT
__attribute__((target("avx2,fma"))) void poolAvx2(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int ho,
                                                  int wo) {
  poolAll(x, dy, dx, n, h, w, c, ho, wo);
}
__attribute__((target("avx2,fma"))) void adamAvx2(const float* w, const float* m, const float* v, const float* g, float* wo,
                                                  float* mo, float* vo, std::size_t n, const AdamStep& a) {
  adamAll(w, m, v, g, wo, mo, vo, n, a);
}
#endif

}  // namespace

void maxPoolGrad2x2(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int ho, int wo) {
  if (ho * 2 < h || wo * 2 < w) std::memset(dx, 0, sizeof(float) * std::size_t(n) * h * w * c);
#ifdef GLK_AVX2_VARIANT
  if (gemmUsesAvx2()) return poolAvx2(x, dy, dx, n, h, w, c, ho, wo);
#endif
  poolGeneric(x, dy, dx, n, h, w, c, ho, wo);
}

void sumRows(const float* x, std::size_t rows, int c, float* out) {
  // float32 within blocks of 64 rows (vectorised), float64 across blocks.
  constexpr std::size_t kBlock = 64;
  std::vector<double> acc(std::size_t(c), 0.0);
  std::vector<float> part(static_cast<std::size_t>(c));
  for (std::size_t r0 = 0; r0 < rows; r0 += kBlock) {
    const std::size_t r1 = r0 + kBlock < rows ? r0 + kBlock : rows;
    float* GLK_RESTRICT p = part.data();
    std::memset(p, 0, sizeof(float) * c);
    for (std::size_t r = r0; r < r1; r++) {
      const float* GLK_RESTRICT row = x + r * c;
      for (int j = 0; j < c; j++) p[j] += row[j];
    }
    for (int j = 0; j < c; j++) acc[j] += p[j];
  }
  for (int j = 0; j < c; j++) out[j] = static_cast<float>(acc[j]);
}

void adamStep(const float* w, const float* m, const float* v, const float* g, float* wo, float* mo, float* vo, std::size_t n,
              const AdamStep& a) {
#ifdef GLK_AVX2_VARIANT
  if (gemmUsesAvx2()) return adamAvx2(w, m, v, g, wo, mo, vo, n, a);
#endif
  adamGeneric(w, m, v, g, wo, mo, vo, n, a);
}

}  // namespace glk
