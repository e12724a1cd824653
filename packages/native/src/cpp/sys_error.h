// Errors thrown by the @mnemo/native addon: a JS Error carrying `code` (errno name such as
// 'ENOENT', or an addon-specific code), `syscall` and `path`, which the TypeScript layer turns
// into MnemoError (IO_ERROR, BUSY, INVALID_ARGUMENT). See docs/native_api.md "Errors".
#pragma once
#include <napi.h>
#include <cerrno>
#include <cstring>
#include <string>

namespace mnemo {

inline const char* ErrnoName(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EWOULDBLOCK";  // == EWOULDBLOCK on Linux; flock's "held elsewhere"
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOLCK: return "ENOLCK";
    case ELOOP: return "ELOOP";
    case EOVERFLOW: return "EOVERFLOW";
    case ENODEV: return "ENODEV";
    case EDQUOT: return "EDQUOT";
    case EINTR: return "EINTR";
    default: return "EUNKNOWN";
  }
}

// Throw a JS Error for a failed system call; the caller must return right after.
inline void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& path) {
  Napi::Error e = Napi::Error::New(env, std::string(syscall) + " " + path + ": " + std::strerror(err));
  Napi::Object o = e.Value();
  (void)o.Set("code", ErrnoName(err));
  (void)o.Set("errno", err);
  (void)o.Set("syscall", syscall);
  (void)o.Set("path", path);
  e.ThrowAsJavaScriptException();
}

// Throw a JS Error with an addon-specific code (e.g. 'ERANGE_FILE') and optionally one numeric
// detail; properties must be set before throwing (N-API calls fail while an exception is pending).
inline void ThrowCode(Napi::Env env, const char* code, const std::string& message, const char* key = nullptr,
                      double value = 0) {
  Napi::Error e = Napi::Error::New(env, message);
  Napi::Object o = e.Value();
  (void)o.Set("code", code);
  if (key != nullptr) (void)o.Set(key, value);
  e.ThrowAsJavaScriptException();
}

}  // namespace mnemo
