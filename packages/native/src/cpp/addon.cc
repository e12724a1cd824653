// Module registration for @mnemo/native: each source file contributes its functions.
#include <napi.h>
#include "addon.h"

namespace mnemo {
void InitSpread(Napi::Env env, Napi::Object exports);  // spread.cc
void InitStrings(Napi::Env env, Napi::Object exports);  // strings.cc
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  mnemo::InitMmap(env, exports);
  mnemo::InitLock(env, exports);
  mnemo::InitFsync(env, exports);
  mnemo::InitCrc32c(env, exports);
  mnemo::InitDistance(env, exports);
  mnemo::InitHnsw(env, exports);
  mnemo::InitSpread(env, exports);
  mnemo::InitStrings(env, exports);
  return exports;
}

NODE_API_MODULE(mnemo_native, Init)
