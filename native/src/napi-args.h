// Argument checks shared by the N-API functions: each returns false after throwing a TypeError or
// RangeError that names the argument.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace glk_napi {

inline bool fail(napi_env env, const std::string& msg, bool range = false) {
  if (range)
    napi_throw_range_error(env, nullptr, msg.c_str());
  else
    napi_throw_type_error(env, nullptr, msg.c_str());
  return false;
}

inline bool f32(napi_env env, napi_value v, const char* name, float** data, size_t* len) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return fail(env, std::string(name) + " must be a Float32Array");
  napi_typedarray_type t;
  napi_value ab;
  size_t off;
  void* p;
  if (napi_get_typedarray_info(env, v, &t, len, &p, &ab, &off) != napi_ok || t != napi_float32_array)
    return fail(env, std::string(name) + " must be a Float32Array");
  *data = static_cast<float*>(p);
  return true;
}

inline bool i32(napi_env env, napi_value v, const char* name, int* out) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok || d != static_cast<double>(static_cast<int32_t>(d)))
    return fail(env, std::string(name) + " must be an integer");
  *out = static_cast<int32_t>(d);
  return true;
}

inline bool num(napi_env env, napi_value v, const char* name, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) return fail(env, std::string(name) + " must be a number");
  return true;
}

inline bool flag(napi_env env, napi_value v, const char* name, bool* out) {
  if (napi_get_value_bool(env, v, out) != napi_ok) return fail(env, std::string(name) + " must be a boolean");
  return true;
}

inline bool need(napi_env env, const char* name, size_t have, double want) {
  if (static_cast<double>(have) < want)
    return fail(env, std::string(name) + " has " + std::to_string(have) + " floats, needs " + std::to_string(static_cast<long long>(want)), true);
  return true;
}

// Reads up to `max` arguments into argv; false (with a TypeError showing `usage`) when fewer than `min`.
inline bool args(napi_env env, napi_callback_info info, napi_value* argv, size_t min, size_t max, size_t* argc, const char* usage) {
  *argc = max;
  napi_get_cb_info(env, info, argc, argv, nullptr, nullptr);
  if (*argc < min) return fail(env, std::string("expected ") + usage);
  return true;
}

// Reads argv[i] as the Float32Array names[i] (p[i], len[i]), for each name in order.
inline bool f32s(napi_env env, const napi_value* argv, std::initializer_list<const char*> names, float** p, size_t* len) {
  size_t i = 0;
  for (const char* name : names) {
    if (!f32(env, argv[i], name, &p[i], &len[i])) return false;
    i++;
  }
  return true;
}

// Reads argv[i] as the integer names[i] (out[i]), for each name in order.
inline bool i32s(napi_env env, const napi_value* argv, std::initializer_list<const char*> names, int* out) {
  size_t i = 0;
  for (const char* name : names) {
    if (!i32(env, argv[i], name, &out[i])) return false;
    i++;
  }
  return true;
}

}  // namespace glk_napi
