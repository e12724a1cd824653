// placeholder until implemented
#include "addon.h"
namespace mnemo {
void InitHnsw(Napi::Env, Napi::Object) {}
}
