#include "conv.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>
#include <vector>

#include "gemm.h"

namespace glk {
namespace {

using Index = std::ptrdiff_t;

// Images per task: keeps the im2col buffer of one task near 1 MB (in L2 on most CPUs).
int imagesPerTask(const ConvGeom& g) {
  const Index perImage = static_cast<Index>(g.ho) * g.wo * g.fh * g.fw * g.cin;
  return static_cast<int>(std::max<Index>(1, std::min<Index>(g.n, (Index(1) << 18) / std::max<Index>(1, perImage))));
}

struct Split {
  int workers, tasks, per;  // threads used, tasks, images per task
};

// As many tasks as the size cap asks for, rounded up to a multiple of the workers, then images spread
// evenly over them (64 images in tasks of at most 9 on 2 workers: 8 tasks of 8, not 7x9 + 1).
Split split(const ConvGeom& g, int threads) {
  const int per0 = imagesPerTask(g);
  int tasks = (g.n + per0 - 1) / per0;
  const int workers = std::max(1, std::min(threads, tasks));
  tasks = (tasks + workers - 1) / workers * workers;
  const int per = (g.n + tasks - 1) / tasks;
  tasks = (g.n + per - 1) / per;
  return {workers, tasks, per};
}

// Runs body(worker, n0, n1) over image ranges on up to `threads` threads (the caller is worker 0).
// Task t always goes to worker t % workers, so for a given thread count every worker sums the same
// images in the same order and the filter gradient's partial sums are reproducible run to run.
// Exception-safe: a throw in a worker (std::bad_alloc...) is caught there instead of calling
// std::terminate; a thread that cannot be started leaves its share to this thread; every thread is
// joined before the first error is rethrown.
template <typename Body>
int parallelImages(const ConvGeom& g, int threads, Body body) {
  const Split s = split(g, threads);
  std::vector<std::exception_ptr> errors(s.workers);
  auto run = [&](int worker) noexcept {
    try {
      for (int t = worker; t < s.tasks; t += s.workers) body(worker, t * s.per, std::min(g.n, (t + 1) * s.per));
    } catch (...) {
      errors[worker] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  int started = 1;
  try {
    pool.reserve(s.workers - 1);
    for (; started < s.workers; started++) pool.emplace_back(run, started);
  } catch (...) {
    // No thread (std::system_error) or no memory for one: workers [started, workers) run here below.
  }
  run(0);
  for (int w = started; w < s.workers; w++) run(w);
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return s.workers;
}

// col[(img, oy, ox), (ky, kx, ci)] for images [n0, n1); zeros where the window leaves the input.
void im2col(const ConvGeom& g, const float* x, int n0, int n1, float* col) {
  const Index K = static_cast<Index>(g.fh) * g.fw * g.cin;
  const size_t seg = sizeof(float) * g.cin;
  float* out = col;
  for (int img = n0; img < n1; img++) {
    const float* xi = x + static_cast<Index>(img) * g.h * g.w * g.cin;
    for (int oy = 0; oy < g.ho; oy++) {
      for (int ox = 0; ox < g.wo; ox++, out += K) {
        float* o = out;
        for (int ky = 0; ky < g.fh; ky++) {
          const Index iy = Index(oy) * g.sh - g.padTop + Index(ky) * g.dh;
          if (iy < 0 || iy >= g.h) {
            std::memset(o, 0, seg * g.fw);
            o += static_cast<Index>(g.fw) * g.cin;
            continue;
          }
          for (int kx = 0; kx < g.fw; kx++, o += g.cin) {
            const Index ix = Index(ox) * g.sw - g.padLeft + Index(kx) * g.dw;
            if (ix < 0 || ix >= g.w)
              std::memset(o, 0, seg);
            else
              std::memcpy(o, xi + (iy * g.w + ix) * g.cin, seg);
          }
        }
      }
    }
  }
}

// dx[images n0..n1) += col2im(dcol); the caller zeroed dx for these images.
void col2im(const ConvGeom& g, const float* dcol, int n0, int n1, float* dx) {
  const Index K = static_cast<Index>(g.fh) * g.fw * g.cin;
  const float* in = dcol;
  for (int img = n0; img < n1; img++) {
    float* xi = dx + static_cast<Index>(img) * g.h * g.w * g.cin;
    for (int oy = 0; oy < g.ho; oy++) {
      for (int ox = 0; ox < g.wo; ox++, in += K) {
        const float* s = in;
        for (int ky = 0; ky < g.fh; ky++) {
          const Index iy = Index(oy) * g.sh - g.padTop + Index(ky) * g.dh;
          if (iy < 0 || iy >= g.h) {
            s += static_cast<Index>(g.fw) * g.cin;
            continue;
          }
          for (int kx = 0; kx < g.fw; kx++, s += g.cin) {
            const Index ix = Index(ox) * g.sw - g.padLeft + Index(kx) * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            float* d = xi + (iy * g.w + ix) * g.cin;
            for (int c = 0; c < g.cin; c++) d[c] += s[c];
          }
        }
      }
    }
  }
}

}  // namespace

bool validGeom(const ConvGeom& g) {
  // Positive sizes, strides and dilations; every size small enough that index math cannot overflow
  // (windows that fall outside the input are fine: im2col/col2im read zeros there / skip them).
  constexpr int kMax = 1 << 24;
  const int v[] = {g.n, g.h, g.w, g.cin, g.ho, g.wo, g.cout, g.fh, g.fw, g.sh, g.sw, g.dh, g.dw};
  for (int x : v)
    if (x <= 0 || x > kMax) return false;
  return g.padTop >= 0 && g.padLeft >= 0 && g.padTop <= kMax && g.padLeft <= kMax;
}

double convWorkspaceBytes(const ConvGeom& g, ConvOp op, int threads) {
  const Split s = split(g, threads);
  const double K = static_cast<double>(g.fh) * g.fw * g.cin;
  const double col = static_cast<double>(g.ho) * g.wo * s.per * K * sizeof(float);
  const double gemmN = op == ConvOp::Input ? K : g.cout;
  const double partials = op == ConvOp::Filter ? (s.workers - 1) * K * g.cout * sizeof(float) : 0;
  return s.workers * (col + sgemmWorkspaceBytes(static_cast<int>(std::min(gemmN, 1e9)))) + partials;
}

void conv2dForward(const ConvGeom& g, const float* x, const float* filter, float* y, int threads) {
  const int K = g.fh * g.fw * g.cin;
  const Index rowsPerImage = static_cast<Index>(g.ho) * g.wo;
  parallelImages(g, threads, [&](int, int n0, int n1) {
    thread_local std::vector<float> col;
    const Index rows = rowsPerImage * (n1 - n0);
    col.resize(static_cast<size_t>(rows) * K);
    im2col(g, x, n0, n1, col.data());
    sgemm(static_cast<int>(rows), g.cout, K, Mat{col.data(), K, 1}, Mat{filter, g.cout, 1},
          y + rowsPerImage * n0 * g.cout, g.cout, false);
  });
}

void conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dfilter, int threads) {
  const int K = g.fh * g.fw * g.cin;
  const Index rowsPerImage = static_cast<Index>(g.ho) * g.wo;
  const Index size = static_cast<Index>(K) * g.cout;
  const int maxWorkers = std::max(1, threads);
  // One partial sum per worker; worker 0 writes straight into dfilter.
  std::vector<std::vector<float>> partial(maxWorkers);
  std::vector<char> started(maxWorkers, 0);
  const int used = parallelImages(g, threads, [&](int worker, int n0, int n1) {
    thread_local std::vector<float> col;
    const Index rows = rowsPerImage * (n1 - n0);
    col.resize(static_cast<size_t>(rows) * K);
    im2col(g, x, n0, n1, col.data());
    float* out = dfilter;
    if (worker > 0) {
      partial[worker].resize(size);
      out = partial[worker].data();
    }
    // dW[k, co] (+)= sum_r col[r, k] * dy[r, co]: A = col^T (row stride 1, column stride K).
    sgemm(K, g.cout, static_cast<int>(rows), Mat{col.data(), 1, K}, Mat{dy + rowsPerImage * n0 * g.cout, g.cout, 1}, out,
          g.cout, started[worker] != 0);
    started[worker] = 1;
  });
  if (!started[0]) std::memset(dfilter, 0, sizeof(float) * size);
  for (int w = 1; w < used; w++) {
    if (!started[w]) continue;
    const float* p = partial[w].data();
    for (Index i = 0; i < size; i++) dfilter[i] += p[i];
  }
}

void conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* filter, float* dx, int threads) {
  const int K = g.fh * g.fw * g.cin;
  const Index rowsPerImage = static_cast<Index>(g.ho) * g.wo;
  const Index imageSize = static_cast<Index>(g.h) * g.w * g.cin;
  parallelImages(g, threads, [&](int, int n0, int n1) {
    thread_local std::vector<float> dcol;
    const Index rows = rowsPerImage * (n1 - n0);
    dcol.resize(static_cast<size_t>(rows) * K);
    // dcol[r, k] = sum_co dy[r, co] * filter[k, co]: B = filter^T (row stride 1, column stride cout).
    sgemm(static_cast<int>(rows), K, g.cout, Mat{dy + rowsPerImage * n0 * g.cout, g.cout, 1}, Mat{filter, 1, g.cout},
          dcol.data(), K, false);
    std::memset(dx + imageSize * n0, 0, sizeof(float) * imageSize * (n1 - n0));
    col2im(g, dcol.data(), n0, n1, dx);
  });
}

}  // namespace glk
