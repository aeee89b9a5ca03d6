// N-API functions of the single-pass kernels: maxPoolGrad2x2, sumRows, adamStep (see loops-napi.cc).
#pragma once
#include <node_api.h>

namespace glk_napi {

napi_value maxPoolGrad2x2(napi_env env, napi_callback_info info);
napi_value sumRows(napi_env env, napi_callback_info info);
napi_value adamStep(napi_env env, napi_callback_info info);

}  // namespace glk_napi
