// The distance kernel table shared by distance.cc (N-API glue, topK, dispatch) and the two
// implementations: distance_scalar.cc (portable) and distance_avx2.cc (AVX2+FMA, compiled with a
// target attribute, called only after a run-time CPU check). docs/native_api.md "Distances".
#pragma once
#include <cmath>
#include <cstddef>

namespace mnemo {

struct Kernels {
  float (*dot)(const float* a, const float* b, size_t n);
  float (*l2)(const float* a, const float* b, size_t n);
  // dot of a·b and ‖b‖² in one pass (cosine against a query whose norm is known).
  void (*dotNorm)(const float* a, const float* b, size_t n, float* dot, float* nb);
  float (*sum)(const float* a, size_t n);  // memory-read baseline for the benchmark only
  // out[i] = score(q, row i) for n contiguous rows; the pair kernel is inlined into the row loop.
  void (*batch)(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm, float* out);
};

// Portable kernels (always available).
extern const Kernels kScalarKernels;
// AVX2+FMA kernels, or nullptr when the CPU (or the build target) lacks AVX2 or FMA.
const Kernels* Avx2Kernels();

}  // namespace mnemo
