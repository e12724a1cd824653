// placeholder until implemented
#include "addon.h"
namespace mnemo {
void InitMmap(Napi::Env, Napi::Object) {}
}
