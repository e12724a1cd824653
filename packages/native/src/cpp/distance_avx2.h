// Inline AVX2 helpers shared by the AVX2 kernel files (distance_avx2.cc, hnsw_quant.cc). Every
// function carries target("avx2,fma") and may only run after a run-time CPU check; the addon as a
// whole is built for baseline x86-64. docs/native_api.md "Distances".
#pragma once
#if defined(__x86_64__)
#include <immintrin.h>

#define MNEMO_AVX2 __attribute__((target("avx2,fma")))

namespace mnemo {

// Sum of the 8 lanes.
MNEMO_AVX2 inline float Hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

}  // namespace mnemo
#endif
