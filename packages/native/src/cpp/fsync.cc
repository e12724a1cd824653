// fsyncDir(path): open the directory O_RDONLY|O_DIRECTORY, fsync, close — makes a create,
// rename or unlink inside it durable. Errors carry the errno. docs/native_api.md "fsyncDir".
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "addon.h"
#include "sys_error.h"

namespace mnemo {
namespace {

Napi::Value FsyncDir(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ThrowErrno(env, errno, "open", path), env.Undefined();
  int rc = fsync(fd);  // no retry: a failed fsync is fatal for the caller (docs/native_api.md)
  int err = errno;
  close(fd);
  if (rc != 0) ThrowErrno(env, err, "fsync", path);
  return env.Undefined();
}

}  // namespace

void InitFsync(Napi::Env env, Napi::Object exports) {
  (void)exports.Set("fsyncDir", Napi::Function::New(env, FsyncDir, "fsyncDir"));
}

}  // namespace mnemo
