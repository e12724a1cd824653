// placeholder until implemented
#include "addon.h"
namespace mnemo {
void InitLock(Napi::Env, Napi::Object) {}
}
