// Quantized traversal vectors of an HNSW graph (docs/hnsw_format.md, section 5): per-dimension
// u8 codes x = round((v − offset)/scale) of the (cosine: normalised) rows, and the asymmetric
// distance from an f32 query to a row of codes. Used for the graph walk only; the final candidates
// are re-ranked with exact f32 distances (hnsw.cc). Scalar kernels + AVX2/FMA at run time.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnemo {
namespace hnsw {

// Bytes per row of codes: dim rounded up to 64 (each row starts on a cache line).
inline size_t QuantStride(size_t dim) { return (dim + 63) / 64 * 64; }
// Codes a kernel reads per row: dim rounded up to 16 (the query arrays are zero there).
inline size_t QuantSpan(size_t dim) { return (dim + 15) / 16 * 16; }

// ip: Σ a[i]·x[i]; l2: Σ (a[i] − b[i]·x[i])². n is a multiple of 16; a, b hold n floats.
using QuantIpFn = float (*)(const float* a, const uint8_t* x, size_t n);
using QuantL2Fn = float (*)(const float* a, const float* b, const uint8_t* x, size_t n);
struct QuantKernels {
  QuantIpFn ip;
  QuantL2Fn l2;
  const char* level;
};
const QuantKernels& ActiveQuantKernels();
const QuantKernels& ScalarQuantKernels();

// Distance from one prepared query to rows of codes, in the metric's distance units (approximate).
struct QuantDist {
  const uint8_t* codes = nullptr;
  size_t stride = 0, span = 0;
  const float* a = nullptr;  // ip: q·scale; l2: q − offset
  const float* b = nullptr;  // l2: scale
  float base = 0;            // ip: distance = base − Σ a·x
  bool l2 = false;
  QuantKernels k{};
  inline const uint8_t* Row(uint32_t r) const { return codes + static_cast<size_t>(r) * stride; }
  inline void Prefetch(uint32_t r) const {
    const char* v = reinterpret_cast<const char*>(Row(r));
    for (size_t off = 0; off < span; off += 64) __builtin_prefetch(v + off);
  }
  inline float operator()(uint32_t r) const {
    const float d = l2 ? k.l2(a, b, Row(r), span) : base - k.ip(a, Row(r), span);
    return d != d ? __builtin_inff() : d;  // NaN (overflow) = farthest, as NotNaN in hnsw_core.h
  }
};

// Prepares `dist` for query `q` (cosine: already normalised) against a section-5 image:
// `offset`, `scale` (dim floats each) and `codes` (count × QuantStride(dim)). `scratch` holds the
// query arrays and must outlive `dist`.
void PrepareQuant(QuantDist& dist, const float* q, size_t dim, uint32_t metric, const float* offset, const float* scale,
                  const uint8_t* codes, const QuantKernels& k, std::vector<float>& scratch);

}  // namespace hnsw
}  // namespace mnemo
