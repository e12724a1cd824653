// placeholder until implemented
#include "addon.h"
namespace mnemo {
void InitCrc32c(Napi::Env, Napi::Object) {}
}
