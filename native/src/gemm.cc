// Blocked SGEMM in the style of BLIS/GotoBLAS: B is packed in KC x NR panels, A in MC x KC blocks of
// MR-row panels, and an MR x NR micro-kernel keeps its tile of C in registers. The micro-kernel is
// AVX2+FMA where the CPU has it (checked at run time), else portable C++ the compiler vectorises.
#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
#if defined(__GNUC__)
#include <immintrin.h>
#define GLK_X86_AVX2 1
#endif
#endif

namespace glk {
namespace {

constexpr int MR = 6;
constexpr int NR = 16;
constexpr int KC = 256;
constexpr int MC = 96;  // multiple of MR; A block = MC*KC floats = 96 KB (L2)

// One GR x GN part (rows r0.., columns j0..) of the micro-kernel's tile: small enough for its
// accumulators to stay in vector registers (6 of 16 SSE registers, 6 of 32 NEON ones), so the compiler
// keeps them there and vectorises the column loop; the whole tile is 4 such passes over the panels.
constexpr int GR = 3;
constexpr int GN = 8;
inline void microPart(int kc, const float* Ap, const float* Bp, float* C, int ldc, bool accumulate, int r0, int j0) {
  float acc[GR][GN] = {};
  for (int k = 0; k < kc; k++) {
    const float* a = Ap + k * MR + r0;
    const float* b = Bp + k * NR + j0;
    for (int r = 0; r < GR; r++)
      for (int j = 0; j < GN; j++) acc[r][j] += a[r] * b[j];
  }
  for (int r = 0; r < GR; r++) {
    float* c = C + (r0 + r) * ldc + j0;
    for (int j = 0; j < GN; j++) c[j] = accumulate ? c[j] + acc[r][j] : acc[r][j];
  }
}

// C tile (MR x NR, row stride ldc) = (accumulate ? C : 0) + Ap * Bp over kc steps.
// Ap: kc groups of MR floats; Bp: kc groups of NR floats.
void microGeneric(int kc, const float* Ap, const float* Bp, float* C, int ldc, bool accumulate) {
  static_assert(MR % GR == 0 && NR % GN == 0, "the tile splits into parts");
  for (int r0 = 0; r0 < MR; r0 += GR)
    for (int j0 = 0; j0 < NR; j0 += GN) microPart(kc, Ap, Bp, C, ldc, accumulate, r0, j0);
}

#ifdef GLK_X86_AVX2
__attribute__((target("avx2,fma"))) void microAvx2(int kc, const float* Ap, const float* Bp, float* C, int ldc,
                                                    bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(Bp);
    const __m256 b1 = _mm256_loadu_ps(Bp + 8);
    __m256 a;
    a = _mm256_broadcast_ss(Ap + 0); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(Ap + 1); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(Ap + 2); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(Ap + 3); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(Ap + 4); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(Ap + 5); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
    Ap += MR;
    Bp += NR;
  }
  // (A macro, not a lambda: a lambda would not inherit this function's target attribute.)
#define GLK_PUT(row, v0, v1)                                              \
  do {                                                                    \
    float* c = C + (row) * ldc;                                           \
    __m256 w0 = (v0), w1 = (v1);                                          \
    if (accumulate) {                                                     \
      w0 = _mm256_add_ps(w0, _mm256_loadu_ps(c));                         \
      w1 = _mm256_add_ps(w1, _mm256_loadu_ps(c + 8));                     \
    }                                                                     \
    _mm256_storeu_ps(c, w0);                                              \
    _mm256_storeu_ps(c + 8, w1);                                          \
  } while (0)
  GLK_PUT(0, c00, c01);
  GLK_PUT(1, c10, c11);
  GLK_PUT(2, c20, c21);
  GLK_PUT(3, c30, c31);
  GLK_PUT(4, c40, c41);
  GLK_PUT(5, c50, c51);
#undef GLK_PUT
}
#endif

using Micro = void (*)(int, const float*, const float*, float*, int, bool);

bool detectAvx2() {
#ifdef GLK_X86_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

const bool kAvx2 = detectAvx2();
#ifdef GLK_X86_AVX2
const Micro kMicro = kAvx2 ? microAvx2 : microGeneric;
#else
const Micro kMicro = microGeneric;
#endif

// Bp[(jp*kc + k)*NR + jj] = B(k0 + k, jp*NR + jj), zero beyond N.
void packB(const Mat& B, int k0, int kc, int N, float* Bp) {
  const int panels = (N + NR - 1) / NR;
  for (int jp = 0; jp < panels; jp++) {
    const int j0 = jp * NR;
    const int nr = std::min(NR, N - j0);
    float* dst = Bp + static_cast<std::ptrdiff_t>(jp) * kc * NR;
    for (int k = 0; k < kc; k++) {
      const float* src = B.p + (k0 + k) * B.rs + j0 * B.cs;
      float* d = dst + k * NR;
      if (B.cs == 1) {
        std::memcpy(d, src, sizeof(float) * nr);
      } else {
        for (int jj = 0; jj < nr; jj++) d[jj] = src[jj * B.cs];
      }
      for (int jj = nr; jj < NR; jj++) d[jj] = 0.f;
    }
  }
}

// Ap[(ip*kc + k)*MR + ii] = A(i0 + ip*MR + ii, k0 + k), zero beyond mc.
void packA(const Mat& A, int i0, int mc, int k0, int kc, float* Ap) {
  const int panels = (mc + MR - 1) / MR;
  for (int ip = 0; ip < panels; ip++) {
    const int r0 = i0 + ip * MR;
    const int mr = std::min(MR, i0 + mc - r0);
    float* dst = Ap + static_cast<std::ptrdiff_t>(ip) * kc * MR;
    if (A.rs == 1) {
      // Column-major A (a transposed operand): MR consecutive floats per k.
      for (int k = 0; k < kc; k++) {
        const float* src = A.p + r0 + (k0 + k) * A.cs;
        float* d = dst + k * MR;
        for (int ii = 0; ii < mr; ii++) d[ii] = src[ii];
        for (int ii = mr; ii < MR; ii++) d[ii] = 0.f;
      }
    } else if (mr == MR && A.cs == 1) {
      // Row-major A: MR read streams, one sequential write stream.
      const float* rows[MR];
      for (int ii = 0; ii < MR; ii++) rows[ii] = A.p + (r0 + ii) * A.rs + k0;
      for (int k = 0; k < kc; k++) {
        float* d = dst + k * MR;
        for (int ii = 0; ii < MR; ii++) d[ii] = rows[ii][k];
      }
    } else {
      for (int ii = 0; ii < MR; ii++) {
        if (ii < mr) {
          const float* src = A.p + (r0 + ii) * A.rs + k0 * A.cs;
          for (int k = 0; k < kc; k++) dst[k * MR + ii] = src[k * A.cs];
        } else {
          for (int k = 0; k < kc; k++) dst[k * MR + ii] = 0.f;
        }
      }
    }
  }
}

}  // namespace

bool gemmUsesAvx2() { return kAvx2; }

double sgemmWorkspaceBytes(int N) {
  const double panelsN = (static_cast<double>(N) + NR - 1) / NR;
  return sizeof(float) * (panelsN * KC * NR + static_cast<double>(MC) * KC);
}

void sgemm(int M, int N, int K, Mat A, Mat B, float* C, int ldc, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++) std::memset(C + static_cast<std::ptrdiff_t>(i) * ldc, 0, sizeof(float) * N);
    return;
  }
  const int panelsN = (N + NR - 1) / NR;
  thread_local std::vector<float> bBuf, aBuf;
  bBuf.resize(static_cast<size_t>(panelsN) * KC * NR);
  aBuf.resize(static_cast<size_t>(MC) * KC);
  float tile[MR * NR];
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = std::min(KC, K - k0);
    const bool acc = accumulate || k0 > 0;
    packB(B, k0, kc, N, bBuf.data());
    for (int i0 = 0; i0 < M; i0 += MC) {
      const int mc = std::min(MC, M - i0);
      packA(A, i0, mc, k0, kc, aBuf.data());
      for (int jp = 0; jp < panelsN; jp++) {
        const int j0 = jp * NR;
        const int nr = std::min(NR, N - j0);
        const float* bp = bBuf.data() + static_cast<std::ptrdiff_t>(jp) * kc * NR;
        for (int ip = 0; ip * MR < mc; ip++) {
          const int r0 = i0 + ip * MR;
          const int mr = std::min(MR, M - r0);
          const float* ap = aBuf.data() + static_cast<std::ptrdiff_t>(ip) * kc * MR;
          float* c = C + static_cast<std::ptrdiff_t>(r0) * ldc + j0;
          if (mr == MR && nr == NR) {
            kMicro(kc, ap, bp, c, ldc, acc);
          } else {
            kMicro(kc, ap, bp, tile, NR, false);
            for (int r = 0; r < mr; r++)
              for (int j = 0; j < nr; j++) c[r * ldc + j] = (acc ? c[r * ldc + j] : 0.f) + tile[r * NR + j];
          }
        }
      }
    }
  }
}

}  // namespace glk
