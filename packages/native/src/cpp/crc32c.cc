// CRC32C (Castagnoli, reflected polynomial 0x82F63B78) for record and file checksums: SSE4.2
// crc32 instructions in three interleaved streams when the CPU has them (chosen at run time, not
// at compile time), else a slicing-by-8 table. Chainable: crc32c(b, crc32c(a)) == crc32c(a‖b).
// docs/native_api.md "crc32c".
#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include <cstdint>
#include <cstring>

#include "addon.h"
#include "sys_error.h"

namespace mnemo {
namespace {

struct Tables {
  uint32_t t[8][256];
  Tables() {
    for (uint32_t b = 0; b < 256; b++) {
      uint32_t c = b;
      for (int i = 0; i < 8; i++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[0][b] = c;
    }
    for (int k = 1; k < 8; k++)
      for (uint32_t b = 0; b < 256; b++) t[k][b] = t[0][t[k - 1][b] & 0xFF] ^ (t[k - 1][b] >> 8);
  }
};
const Tables kTables;

// Software path; `crc` is the running (pre-inverted) state.
uint32_t Crc32cSw(uint32_t crc, const uint8_t* p, size_t n) {
  const auto& t = kTables.t;
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);  // little-endian host (x86-64, arm64)
    std::memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
          t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc;
}

// ---- shifting a CRC state over runs of zero bytes (Mark Adler's method, as in his crc32c.c) ----
// Three independent crc32 streams run in parallel (the instruction has a latency of 3 and a
// throughput of 1), then are merged: state(A‖B) = shift(state(A), |B|) ^ state(B from 0).

uint32_t Gf2Times(const uint32_t* mat, uint32_t vec) {
  uint32_t sum = 0;
  for (; vec != 0; vec >>= 1, mat++)
    if (vec & 1) sum ^= *mat;
  return sum;
}

void Gf2Square(uint32_t* square, const uint32_t* mat) {
  for (int n = 0; n < 32; n++) square[n] = Gf2Times(mat, mat[n]);
}

// Tables that apply the operator "append `len` zero bytes" (len a power of two ≥ 1) to a state.
struct ZeroShift {
  uint32_t t[4][256];
  explicit ZeroShift(size_t len) {
    uint32_t even[32], odd[32];
    odd[0] = 0x82F63B78u;  // one zero bit
    for (int n = 1; n < 32; n++) odd[n] = 1u << (n - 1);
    Gf2Square(even, odd);  // two zero bits
    Gf2Square(odd, even);  // four zero bits
    const uint32_t* op = odd;
    for (;;) {  // each square doubles the run: 1 byte, 2 bytes, ... until len is used up
      Gf2Square(even, odd);
      op = even;
      if ((len >>= 1) == 0) break;
      Gf2Square(odd, even);
      op = odd;
      if ((len >>= 1) == 0) break;
    }
    for (uint32_t n = 0; n < 256; n++) {
      t[0][n] = Gf2Times(op, n);
      t[1][n] = Gf2Times(op, n << 8);
      t[2][n] = Gf2Times(op, n << 16);
      t[3][n] = Gf2Times(op, n << 24);
    }
  }
  uint32_t operator()(uint32_t crc) const {
    return t[0][crc & 0xFF] ^ t[1][(crc >> 8) & 0xFF] ^ t[2][(crc >> 16) & 0xFF] ^ t[3][crc >> 24];
  }
};

constexpr size_t kLong = 8192, kShort = 256;
const ZeroShift kShiftLong(kLong), kShiftShort(kShort);

#if defined(__x86_64__)
// Three streams of `block` bytes each per step while at least 3 blocks remain; returns the state.
__attribute__((target("sse4.2"))) inline uint64_t Crc3Way(uint64_t c0, const uint8_t*& p, size_t& n, size_t block,
                                                           const ZeroShift& shift) {
  while (n >= 3 * block) {
    uint64_t c1 = 0, c2 = 0;
    for (const uint8_t* end = p + block; p < end; p += 8) {
      uint64_t v0, v1, v2;
      std::memcpy(&v0, p, 8);
      std::memcpy(&v1, p + block, 8);
      std::memcpy(&v2, p + 2 * block, 8);
      c0 = _mm_crc32_u64(c0, v0);
      c1 = _mm_crc32_u64(c1, v1);
      c2 = _mm_crc32_u64(c2, v2);
    }
    c0 = shift(static_cast<uint32_t>(c0)) ^ static_cast<uint32_t>(c1);
    c0 = shift(static_cast<uint32_t>(c0)) ^ static_cast<uint32_t>(c2);
    p += 2 * block;
    n -= 3 * block;
  }
  return c0;
}

__attribute__((target("sse4.2"))) uint32_t Crc32cHw(uint32_t crc, const uint8_t* p, size_t n) {
  uint64_t c = crc;
  c = Crc3Way(c, p, n, kLong, kShiftLong);
  c = Crc3Way(c, p, n, kShort, kShiftShort);
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}
bool HaveHw() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}
#else
uint32_t Crc32cHw(uint32_t crc, const uint8_t* p, size_t n) { return Crc32cSw(crc, p, n); }
bool HaveHw() { return false; }
#endif

using Impl = uint32_t (*)(uint32_t, const uint8_t*, size_t);

// crc32c(bytes: Uint8Array, seed: uint32) → uint32. Inputs validated in TypeScript.
Napi::Value Crc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Impl impl = reinterpret_cast<Impl>(info.Data());
  napi_typedarray_type type;
  size_t len = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, info[0], &type, &len, &data, nullptr, nullptr) != napi_ok) {
    return ThrowCode(env, "EINVAL", "crc32c: expected a Uint8Array"), env.Undefined();
  }
  uint32_t seed = info[1].As<Napi::Number>().Uint32Value();
  uint32_t crc = ~impl(~seed, static_cast<const uint8_t*>(data), len);
  return Napi::Number::New(env, static_cast<double>(crc));
}

}  // namespace

void InitCrc32c(Napi::Env env, Napi::Object exports) {
  const bool hw = HaveHw();
  Impl best = hw ? Crc32cHw : Crc32cSw;
  Impl sw = Crc32cSw;
  (void)exports.Set("crc32c", Napi::Function::New(env, Crc, "crc32c", reinterpret_cast<void*>(best)));
  (void)exports.Set("crc32cSoftware", Napi::Function::New(env, Crc, "crc32cSoftware", reinterpret_cast<void*>(sw)));
  const char* level = hw ? "sse4.2" : "software";
  (void)exports.Set("crc32cLevel",
                    Napi::Function::New(env, [level](const Napi::CallbackInfo& i) -> Napi::Value {
                      return Napi::String::New(i.Env(), level);
                    }, "crc32cLevel"));
}

}  // namespace mnemo
