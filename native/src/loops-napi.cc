// N-API surface of the single-pass kernels (loops.h), on views of the wasm heap.
#include "loops-napi.h"

#include "loops.h"
#include "napi-args.h"

namespace glk_napi {

// maxPoolGrad2x2(x, dy, dx, n, h, w, c, ho, wo): see loops.h.
napi_value maxPoolGrad2x2(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[9];
  float* p[3];
  size_t len[3];
  int d[6];
  if (!args(env, info, argv, 9, 9, &argc, "(x, dy, dx, n, h, w, c, ho, wo)") || !f32s(env, argv, {"x", "dy", "dx"}, p, len) ||
      !i32s(env, argv + 3, {"n", "h", "w", "c", "ho", "wo"}, d))
    return nullptr;
  const auto [n, h, w, c, ho, wo] = d;
  if (n < 0 || c < 0 || ho < 0 || wo < 0 || ho * 2 > h || wo * 2 > w) {
    fail(env, "invalid 2x2 pool geometry", true);
    return nullptr;
  }
  const double xs = double(n) * h * w * c;
  if (!need(env, "x", len[0], xs) || !need(env, "dy", len[1], double(n) * ho * wo * c) || !need(env, "dx", len[2], xs)) return nullptr;
  glk::maxPoolGrad2x2(p[0], p[1], p[2], n, h, w, c, ho, wo);
  return nullptr;
}

// sumRows(x, c, out): out[c] = column sums of x viewed as [x.length / c, c].
napi_value sumRows(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[3];
  float *x, *out;
  size_t lx, lo;
  int c;
  if (!args(env, info, argv, 3, 3, &argc, "(x, c, out)") || !f32(env, argv[0], "x", &x, &lx) || !i32(env, argv[1], "c", &c) ||
      !f32(env, argv[2], "out", &out, &lo))
    return nullptr;
  if (c <= 0 || lx % size_t(c) != 0) {
    fail(env, "c must be positive and divide x's length", true);
    return nullptr;
  }
  if (!need(env, "out", lo, c)) return nullptr;
  glk::sumRows(x, lx / size_t(c), c, out);
  return nullptr;
}

// adamStep(w, m, v, g, wOut, mOut, vOut, beta1, beta2, step, correction2, epsilon): see loops.h.
napi_value adamStep(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[12];
  float* p[7];
  size_t len[7];
  double h[5];
  if (!args(env, info, argv, 12, 12, &argc, "(w, m, v, g, wOut, mOut, vOut, beta1, beta2, step, correction2, epsilon)") ||
      !f32s(env, argv, {"w", "m", "v", "g", "wOut", "mOut", "vOut"}, p, len))
    return nullptr;
  const char* names[7] = {"w", "m", "v", "g", "wOut", "mOut", "vOut"};
  for (int i = 1; i < 7; i++)
    if (!need(env, names[i], len[i], double(len[0]))) return nullptr;
  const char* hn[5] = {"beta1", "beta2", "step", "correction2", "epsilon"};
  for (int i = 0; i < 5; i++)
    if (!num(env, argv[7 + i], hn[i], &h[i])) return nullptr;
  const glk::AdamStep a{float(h[0]), float(1 - h[0]), float(h[1]), float(1 - h[1]), float(h[2]), float(h[3]), float(h[4])};
  glk::adamStep(p[0], p[1], p[2], p[3], p[4], p[5], p[6], len[0], a);
  return nullptr;
}

}  // namespace glk_napi
