// checkStrings: the structure check of a strings column (offsets u32[n + 1] + UTF-8 bytes) that
// segment open runs over every id column — offsets never decrease and stay inside the bytes, no
// string starts on a UTF-8 continuation byte, and (sorted) each string is above the previous one in
// byte order. One pass with memcmp; the same rule as StringColumn.scan in @mnemo/engine and as the
// TypeScript twin in strings.ts. Implements docs/native_api.md "checkStrings".
#include <cstdint>
#include <cstring>

#include "addon.h"

namespace mnemo {
namespace {

// Failure reasons, returned as index * 4 + reason (docs/native_api.md).
constexpr int64_t kOffsetBad = 1;    // offset i + 1 is below offset i or beyond the bytes
constexpr int64_t kMidChar = 2;      // string i starts on a continuation byte
constexpr int64_t kNotAscending = 3; // string i is not above string i − 1

int64_t Check(const uint32_t* off, size_t n, const uint8_t* b, size_t len, bool text, bool sorted) {
  size_t prev = 0;
  size_t start = off[0];
  if (start > len) return kOffsetBad;
  for (size_t i = 0; i < n; i++) {
    size_t end = off[i + 1];
    if (end < start || end > len) return static_cast<int64_t>(i) * 4 + kOffsetBad;
    if (text && start < len && (b[start] & 0xC0) == 0x80) return static_cast<int64_t>(i) * 4 + kMidChar;
    if (sorted && i > 0) {
      size_t la = start - prev;
      size_t lb = end - start;
      int c = std::memcmp(b + prev, b + start, la < lb ? la : lb);
      if (c > 0 || (c == 0 && la >= lb)) return static_cast<int64_t>(i) * 4 + kNotAscending;
    }
    prev = start;
    start = end;
  }
  return -1;
}

// checkStrings(offsets: Uint32Array, bytes: Uint8Array, text, sorted) → -1 | index * 4 + reason.
// TypeScript checks the types and that offsets has n + 1 ≥ 1 entries.
Napi::Value CheckStrings(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Uint32Array off = info[0].As<Napi::Uint32Array>();
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  bool text = info[2].As<Napi::Boolean>().Value();
  bool sorted = info[3].As<Napi::Boolean>().Value();
  size_t count = off.ElementLength();
  if (count == 0) return Napi::Number::New(env, static_cast<double>(kOffsetBad));
  int64_t r = Check(off.Data(), count - 1, bytes.Data(), bytes.ByteLength(), text, sorted);
  return Napi::Number::New(env, static_cast<double>(r));
}

}  // namespace

void InitStrings(Napi::Env env, Napi::Object exports) {
  (void)exports.Set("checkStrings", Napi::Function::New(env, CheckStrings, "checkStrings"));
}

}  // namespace mnemo
