// N-API surface of the kernels. Every function takes Float32Arrays (views of the tfjs wasm heap, which
// may be a SharedArrayBuffer), checks their lengths against the geometry, and throws a TypeError or
// RangeError naming the argument instead of reading out of bounds.
#include <node_api.h>

#include <cstdint>
#include <exception>
#include <fstream>
#include <string>
#include <thread>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include "conv.h"
#include "gemm.h"
#include "loops-napi.h"
#include "napi-args.h"

namespace {

using glk::ConvGeom;
using namespace glk_napi;

// Runs a kernel, turning a C++ exception (out of memory, no thread; the kernels rethrow their worker
// threads' errors here after joining them) into a JS Error instead of an abort.
template <typename F>
void guarded(napi_env env, F f) {
  try {
    f();
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, (std::string("native kernel failed: ") + e.what()).c_str());
  } catch (...) {
    napi_throw_error(env, nullptr, "native kernel failed: unknown C++ exception");
  }
}

// Memory the system can give now: MemAvailable on Linux, else the free physical pages; 0 when unknown.
double availableBytes() {
#if defined(__linux__)
  std::ifstream f("/proc/meminfo");
  std::string key, rest;
  double kb = 0;
  while (f >> key >> kb) {
    if (key == "MemAvailable:") return kb * 1024;
    std::getline(f, rest);
  }
#endif
#if defined(_SC_AVPHYS_PAGES) && defined(_SC_PAGESIZE)
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long size = sysconf(_SC_PAGESIZE);
  if (pages > 0 && size > 0) return static_cast<double>(pages) * size;
#endif
  return 0;
}

// Refuses (RangeError) a call whose working memory, estimated from the geometry before anything is
// allocated, will not fit in what the system has available. Small calls (the usual case) skip the check.
bool fits(napi_env env, double bytes) {
  constexpr double kAlwaysFine = 256.0 * 1024 * 1024;
  if (bytes <= kAlwaysFine) return true;
  const double avail = availableBytes();
  if (avail <= 0 || bytes <= avail) return true;
  const auto mb = [](double b) { return std::to_string(static_cast<long long>(b / (1024 * 1024))); };
  return fail(env, "native kernel: this convolution needs " + mb(bytes) + " MB of working memory and " + mb(avail) +
                       " MB is available; use a smaller batch or input size",
              true);
}

bool geomOf(napi_env env, napi_value v, ConvGeom* g) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type t;
  size_t len = 0;
  void* p = nullptr;
  napi_value ab;
  size_t off;
  if (!is || napi_get_typedarray_info(env, v, &t, &len, &p, &ab, &off) != napi_ok || t != napi_int32_array || len != 15)
    return fail(env, "geometry must be an Int32Array of 15 values");
  const int32_t* q = static_cast<const int32_t*>(p);
  *g = ConvGeom{q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14]};
  if (!glk::validGeom(*g)) return fail(env, "invalid convolution geometry", true);
  return true;
}

int threadsOf(napi_env env, napi_value v) {
  int t = 0;
  if (napi_get_value_int32(env, v, &t) != napi_ok || t <= 0) {
    const unsigned hc = std::thread::hardware_concurrency();
    t = hc > 0 ? static_cast<int>(hc) : 1;
  }
  return t > 64 ? 64 : t;
}

using Op = glk::ConvOp;

// (geometry, a, b, out, threads)
template <Op op>
napi_value conv(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[5];
  ConvGeom g;
  if (!args(env, info, argv, 4, 5, &argc, "(geometry, a, b, out, threads?)") || !geomOf(env, argv[0], &g)) return nullptr;
  float *a, *b, *out;
  size_t la, lb, lo;
  if (!f32(env, argv[1], "a", &a, &la) || !f32(env, argv[2], "b", &b, &lb) || !f32(env, argv[3], "out", &out, &lo)) return nullptr;
  const double xs = double(g.n) * g.h * g.w * g.cin;
  const double ys = double(g.n) * g.ho * g.wo * g.cout;
  const double fs = double(g.fh) * g.fw * g.cin * g.cout;
  const int threads = threadsOf(env, argc > 4 ? argv[4] : nullptr);
  if (!fits(env, glk::convWorkspaceBytes(g, op, threads))) return nullptr;
  switch (op) {
    case Op::Forward:
      if (!need(env, "x", la, xs) || !need(env, "filter", lb, fs) || !need(env, "y", lo, ys)) return nullptr;
      guarded(env, [&] { glk::conv2dForward(g, a, b, out, threads); });
      break;
    case Op::Filter:
      if (!need(env, "x", la, xs) || !need(env, "dy", lb, ys) || !need(env, "dfilter", lo, fs)) return nullptr;
      guarded(env, [&] { glk::conv2dBackpropFilter(g, a, b, out, threads); });
      break;
    case Op::Input:
      if (!need(env, "dy", la, ys) || !need(env, "filter", lb, fs) || !need(env, "dx", lo, xs)) return nullptr;
      guarded(env, [&] { glk::conv2dBackpropInput(g, a, b, out, threads); });
      break;
  }
  return nullptr;
}

// matmul(a, b, out, M, N, K, transposeA, transposeB): out[M, N] = op(a) [M, K] * op(b) [K, N].
napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[8];
  if (!args(env, info, argv, 8, 8, &argc, "(a, b, out, M, N, K, transposeA, transposeB)")) return nullptr;
  float *a, *b, *out;
  size_t la, lb, lo;
  int M, N, K;
  bool ta = false, tb = false;
  if (!f32(env, argv[0], "a", &a, &la) || !f32(env, argv[1], "b", &b, &lb) || !f32(env, argv[2], "out", &out, &lo) ||
      !i32(env, argv[3], "M", &M) || !i32(env, argv[4], "N", &N) || !i32(env, argv[5], "K", &K))
    return nullptr;
  if (!flag(env, argv[6], "transposeA", &ta) || !flag(env, argv[7], "transposeB", &tb)) return nullptr;
  if (M < 0 || N < 0 || K < 0) {
    fail(env, "M, N and K must not be negative", true);
    return nullptr;
  }
  if (!need(env, "a", la, double(M) * K) || !need(env, "b", lb, double(K) * N) || !need(env, "out", lo, double(M) * N)) return nullptr;
  const glk::Mat A = ta ? glk::Mat{a, 1, M} : glk::Mat{a, K, 1};
  const glk::Mat B = tb ? glk::Mat{b, 1, K} : glk::Mat{b, N, 1};
  guarded(env, [&] { glk::sgemm(M, N, K, A, B, out, N, false); });
  return nullptr;
}

napi_value simd(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_string_utf8(env, glk::gemmUsesAvx2() ? "avx2-fma" : "generic", NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"conv2dForward", nullptr, conv<Op::Forward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, conv<Op::Filter>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, conv<Op::Input>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matmul", nullptr, matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad2x2", nullptr, maxPoolGrad2x2, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, sumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamStep", nullptr, adamStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"simd", nullptr, simd, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
