// fsyncDir(path): open the directory O_RDONLY|O_DIRECTORY, fsync, close — makes a create,
// rename or unlink inside it durable. Errors carry the errno. docs/native_api.md "fsyncDir".
// pwriteDatasync(fd, bytes, position): pwrite all of `bytes` at `position`, then fdatasync, as one
// job on the libuv thread pool; resolves or rejects a promise. docs/native_api.md "pwriteDatasync".
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
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

// The write and the sync of one call, on a thread-pool thread. The typed array is referenced
// until the job is done (its backing store never moves), so the bytes stay valid while written.
class PwriteDatasyncJob : public Napi::AsyncWorker {
 public:
  PwriteDatasyncJob(Napi::Env env, int fd, Napi::Uint8Array bytes, int64_t position)
      : Napi::AsyncWorker(env, "mnemo.pwriteDatasync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        fd_(fd),
        data_(bytes.Data()),
        length_(bytes.ByteLength()),
        position_(position) {
    bytes_ = Napi::Persistent(bytes);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    size_t done = 0;
    while (done < length_) {
      const ssize_t n = pwrite(fd_, data_ + done, length_ - done, static_cast<off_t>(position_ + static_cast<int64_t>(done)));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        errno_ = n < 0 ? errno : EIO;  // a zero-byte pwrite of a non-empty range would loop forever
        syscall_ = "write";
        return;
      }
      done += static_cast<size_t>(n);
    }
    if (fdatasync(fd_) != 0) {  // no retry: a failed sync is fatal for the caller (docs/durability.md)
      errno_ = errno;
      syscall_ = "fdatasync";
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    bytes_.Reset();
    if (errno_ == 0) {
      deferred_.Resolve(env.Undefined());
      return;
    }
    Napi::Error e = Napi::Error::New(env, std::string(syscall_) + " fd " + std::to_string(fd_) + ": " + std::strerror(errno_));
    Napi::Object o = e.Value();
    (void)o.Set("code", ErrnoName(errno_));
    (void)o.Set("errno", errno_);
    (void)o.Set("syscall", syscall_);
    deferred_.Reject(o);
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Uint8Array> bytes_;
  int fd_;
  const uint8_t* data_;
  size_t length_;
  int64_t position_;
  int errno_ = 0;
  const char* syscall_ = "";
};

Napi::Value PwriteDatasync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
      !info[2].IsNumber()) {
    ThrowCode(env, "EINVAL", "pwriteDatasync(fd: number, bytes: Uint8Array, position: number)");
    return env.Undefined();
  }
  const double fd = info[0].As<Napi::Number>().DoubleValue();
  const double position = info[2].As<Napi::Number>().DoubleValue();
  if (!(fd >= 0 && fd <= INT32_MAX && fd == static_cast<double>(static_cast<int>(fd))) ||
      !(position >= 0 && position <= 9007199254740991.0 && position == static_cast<double>(static_cast<int64_t>(position)))) {
    ThrowCode(env, "EINVAL", "pwriteDatasync: fd and position must be non-negative integers");
    return env.Undefined();
  }
  auto* job = new PwriteDatasyncJob(env, static_cast<int>(fd), info[1].As<Napi::Uint8Array>(), static_cast<int64_t>(position));
  Napi::Promise promise = job->Promise();
  job->Queue();  // the worker deletes itself after OnOK
  return promise;
}

}  // namespace

void InitFsync(Napi::Env env, Napi::Object exports) {
  (void)exports.Set("fsyncDir", Napi::Function::New(env, FsyncDir, "fsyncDir"));
  (void)exports.Set("pwriteDatasync", Napi::Function::New(env, PwriteDatasync, "pwriteDatasync"));
}

}  // namespace mnemo
