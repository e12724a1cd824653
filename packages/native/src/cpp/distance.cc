// placeholder until implemented
#include "addon.h"
namespace mnemo {
void InitDistance(Napi::Env, Napi::Object) {}
}
