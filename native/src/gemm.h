// Single-threaded SGEMM on strided operands:
//   C[i*ldc + j] (+)= sum_k A(i, k) * B(k, j),  A(i, k) = a[i*ars + k*acs],  B(k, j) = b[k*brs + j*bcs].
// Strides express transposes, so no operand is copied before packing.
#pragma once
#include <cstddef>

namespace glk {

struct Mat {
  const float* p;
  std::ptrdiff_t rs;  // row stride
  std::ptrdiff_t cs;  // column stride
};

// accumulate = false overwrites C, true adds to it.
void sgemm(int M, int N, int K, Mat A, Mat B, float* C, int ldc, bool accumulate);

// Bytes of packing buffers sgemm holds per thread for an N-column product (kept for the next call).
double sgemmWorkspaceBytes(int N);

// Whether the AVX2+FMA micro-kernel is in use (decided once from the CPU).
bool gemmUsesAvx2();

}  // namespace glk
