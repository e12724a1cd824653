// Read-only MAP_SHARED mappings handed to JS as external ArrayBuffers (zero copy), with
// munmap (detach first, so stale views read as length 0 instead of faulting), madvise, and a GC
// finalizer that unmaps what the user never did. Implements docs/native_api.md "Mappings".
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>

#include "addon.h"
#include "sys_error.h"

namespace mnemo {
namespace {

// Shared by the ArrayBuffer's finalizer and the JS handle: whoever goes last frees it, and the
// pages are unmapped exactly once (explicit munmap, or the destructor).
struct MapState {
  void* base = nullptr;  // page-aligned start of the mapping (nullptr for a zero-length map)
  size_t mapLen = 0;     // bytes mapped from base
  size_t delta = 0;      // requested offset − aligned offset: the ArrayBuffer starts at base+delta
  bool unmapped = false;
  // Bytes V8 counts as the ArrayBuffer's external memory that we have subtracted again (see
  // Uncount); 0 once given back (before Detach, or in the finalizer).
  int64_t uncounted = 0;
  ~MapState() {
    if (!unmapped && base != nullptr) munmap(base, mapLen);
  }
};
using StatePtr = std::shared_ptr<MapState>;

// V8 counts an ArrayBuffer's bytes as external memory and starts garbage collections under
// "external memory pressure" as that count grows: mapping a 700 MB store cost several full GCs at
// open. Mapped file pages are the page cache's, not the heap's, so the count is taken back right
// after the buffer is made, and given back just before V8 takes it off (Detach, or the buffer's
// collection: the finalizer runs on the JS thread after the sweeper subtracted it).
void Uncount(Napi::Env env, MapState& st, size_t length) {
  st.uncounted = static_cast<int64_t>(length);
  Napi::MemoryManagement::AdjustExternalMemory(env, -st.uncounted);
}

void Recount(Napi::Env env, MapState& st) {
  if (st.uncounted == 0) return;
  Napi::MemoryManagement::AdjustExternalMemory(env, st.uncounted);
  st.uncounted = 0;
}

size_t PageSize() {
  static const size_t ps = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return ps;
}

Napi::Value Result(Napi::Env env, Napi::ArrayBuffer buf, const StatePtr& state) {
  auto handle = Napi::External<StatePtr>::New(env, new StatePtr(state), [](Napi::Env, StatePtr* p) { delete p; });
  Napi::Array out = Napi::Array::New(env, 2);
  (void)out.Set(0u, buf);
  (void)out.Set(1u, handle);
  return out;
}

// Open `path` read-only and check [offset, offset+*length) lies inside the regular file;
// *length == -1 means "to the end" and is resolved. Returns the fd, or -1 with a JS error thrown.
int OpenRange(Napi::Env env, const std::string& path, int64_t offset, int64_t* length) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ThrowErrno(env, errno, "open", path), -1;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, err, "fstat", path), -1;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return ThrowCode(env, "ENOTREG", path + " is not a regular file"), -1;
  }
  int64_t size = st.st_size;
  if (offset > size || (*length >= 0 && *length > size - offset)) {
    close(fd);
    return ThrowCode(env, "ERANGE_FILE", "range outside " + path, "fileSize", static_cast<double>(size)), -1;
  }
  if (*length < 0) *length = size - offset;
  return fd;
}

// mmap(path, offset, length | -1) → [ArrayBuffer, handle]. Offset/length are validated
// non-negative integers (TypeScript); the range is checked against the file size here.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int64_t offset = info[1].As<Napi::Number>().Int64Value();
  int64_t length = info[2].As<Napi::Number>().Int64Value();
  int fd = OpenRange(env, path, offset, &length);
  if (fd < 0) return env.Undefined();
  auto state = std::make_shared<MapState>();
  if (length == 0) {
    close(fd);
    return Result(env, Napi::ArrayBuffer::New(env, 0), state);
  }
  size_t aligned = static_cast<size_t>(offset) & ~(PageSize() - 1);
  state->delta = static_cast<size_t>(offset) - aligned;
  state->mapLen = static_cast<size_t>(length) + state->delta;
  void* p = mmap(nullptr, state->mapLen, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(aligned));
  int err = errno;
  close(fd);  // the mapping keeps its own reference to the file
  if (p == MAP_FAILED) return ThrowErrno(env, err, "mmap", path), env.Undefined();
  state->base = p;
  auto* hint = new StatePtr(state);
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(
      env, static_cast<uint8_t*>(p) + state->delta, static_cast<size_t>(length),
      [](Napi::Env fenv, void*, StatePtr* h) {
        Recount(fenv, **h);
        delete h;
      },
      hint);
  if (env.IsExceptionPending()) {
    delete hint;
    return env.Undefined();
  }
  Uncount(env, *state, static_cast<size_t>(length));
  return Result(env, buf, state);
}

// munmap(handle, buffer): detach the buffer (views → length 0), then unmap. Idempotent.
Napi::Value Munmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MapState& st = **info[0].As<Napi::External<StatePtr>>().Data();
  if (st.unmapped) return env.Undefined();
  if (info[1].IsArrayBuffer()) {
    Napi::ArrayBuffer buf = info[1].As<Napi::ArrayBuffer>();
    if (!buf.IsDetached()) {
      Recount(env, st);
      buf.Detach();
    }
    if (env.IsExceptionPending()) return env.Undefined();  // still attached: keep the pages mapped
  }
  if (st.base != nullptr) munmap(st.base, st.mapLen);
  st.unmapped = true;
  return env.Undefined();
}

// madvise(handle, adviceId, offset, length) over [offset, offset+length) of the buffer, widened
// to whole pages. TypeScript checks the range lies inside the mapping and length > 0.
Napi::Value Madvise(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MapState& st = **info[0].As<Napi::External<StatePtr>>().Data();
  static const int kAdvice[] = {MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED};
  uint32_t id = info[1].As<Napi::Number>().Uint32Value();
  size_t off = static_cast<size_t>(info[2].As<Napi::Number>().Int64Value());
  size_t len = static_cast<size_t>(info[3].As<Napi::Number>().Int64Value());
  if (st.unmapped || st.base == nullptr || id > 4) return env.Undefined();
  uintptr_t start = reinterpret_cast<uintptr_t>(st.base) + st.delta + off;
  uintptr_t end = start + len;
  start &= ~static_cast<uintptr_t>(PageSize() - 1);
  if (madvise(reinterpret_cast<void*>(start), end - start, kAdvice[id]) != 0) {
    ThrowErrno(env, errno, "madvise", "");
  }
  return env.Undefined();
}

Napi::Value PageSizeFn(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(PageSize()));
}

}  // namespace

void InitMmap(Napi::Env env, Napi::Object exports) {
  (void)exports.Set("mmap", Napi::Function::New(env, Mmap, "mmap"));
  (void)exports.Set("munmap", Napi::Function::New(env, Munmap, "munmap"));
  (void)exports.Set("madvise", Napi::Function::New(env, Madvise, "madvise"));
  (void)exports.Set("pageSize", Napi::Function::New(env, PageSizeFn, "pageSize"));
}

}  // namespace mnemo
