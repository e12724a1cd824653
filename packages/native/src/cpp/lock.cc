// flock(2) file locks for the single-writer rule: LOCK_EX or LOCK_SH, always LOCK_NB (never
// waits; EWOULDBLOCK → BUSY in TypeScript). The lock lives on the open file description, so the
// fd stays open until unlock (or GC). Implements docs/native_api.md "Locking".
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <string>

#include "addon.h"
#include "sys_error.h"

namespace mnemo {
namespace {

struct LockState {
  int fd = -1;
};

void Close(LockState* s) {
  if (s->fd < 0) return;
  flock(s->fd, LOCK_UN);
  close(s->fd);
  s->fd = -1;
}

// lock(path, exclusive) → handle. Creates the file 0600 if missing; a read-only file system
// or file still gets a lock through an O_RDONLY descriptor (flock needs no write access).
Napi::Value Lock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  bool exclusive = info[1].As<Napi::Boolean>().Value();
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EROFS || errno == EACCES)) fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ThrowErrno(env, errno, "open", path), env.Undefined();
  int rc;
  do {
    rc = flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, err, "flock", path), env.Undefined();
  }
  auto* st = new LockState{fd};
  return Napi::External<LockState>::New(env, st, [](Napi::Env, LockState* s) {
    Close(s);
    delete s;
  });
}

// unlock(handle): release and close. Idempotent.
Napi::Value Unlock(const Napi::CallbackInfo& info) {
  Close(info[0].As<Napi::External<LockState>>().Data());
  return info.Env().Undefined();
}

}  // namespace

void InitLock(Napi::Env env, Napi::Object exports) {
  (void)exports.Set("lock", Napi::Function::New(env, Lock, "lock"));
  (void)exports.Set("unlock", Napi::Function::New(env, Unlock, "unlock"));
}

}  // namespace mnemo
