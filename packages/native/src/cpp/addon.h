// Per-file init hooks of the @mnemo/native addon.
#pragma once
#include <napi.h>
namespace mnemo {
void InitMmap(Napi::Env env, Napi::Object exports);
void InitLock(Napi::Env env, Napi::Object exports);
void InitFsync(Napi::Env env, Napi::Object exports);
void InitCrc32c(Napi::Env env, Napi::Object exports);
void InitDistance(Napi::Env env, Napi::Object exports);
void InitHnsw(Napi::Env env, Napi::Object exports);
}  // namespace mnemo
