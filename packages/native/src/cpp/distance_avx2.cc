// AVX2+FMA distance kernels. Only these functions carry target("avx2,fma"); the addon as a whole
// is built for baseline x86-64 and calls them only after __builtin_cpu_supports says yes.
// docs/native_api.md "Distances".
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "distance_kernels.h"

namespace mnemo {

#if defined(__x86_64__)
namespace {

#define MNEMO_AVX2 __attribute__((target("avx2,fma")))

MNEMO_AVX2 inline float Hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

// Rows are scored one at a time (pairs, leftovers) or four at a time (batch): four rows share
// each query load and keep 8 independent accumulators in registers (named variables, not arrays,
// so nothing spills). The per-row summation order is the same in both, so a row's score is
// bit-identical whether computed alone or in a batch.
template <bool kL2>
MNEMO_AVX2 inline __m256 Acc(__m256 acc, __m256 x, __m256 qv) {
  if (kL2) {
    x = _mm256_sub_ps(x, qv);
    return _mm256_fmadd_ps(x, x, acc);
  }
  return _mm256_fmadd_ps(x, qv, acc);
}

// Horizontal sum of the two accumulators, then the scalar tail [i, dim).
template <bool kL2>
MNEMO_AVX2 inline float Finish(__m256 a, __m256 b, const float* q, const float* row, size_t i, size_t dim) {
  float s = Hsum(_mm256_add_ps(a, b));
  for (; i < dim; i++) {
    float x = row[i];
    if (kL2) {
      float d = x - q[i];
      s += d * d;
    } else {
      s += x * q[i];
    }
  }
  return s;
}

template <bool kL2>
MNEMO_AVX2 inline float DotL2Row1(const float* q, const float* r0, size_t dim) {
  __m256 a0 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m256 qa = _mm256_loadu_ps(q + i), qb = _mm256_loadu_ps(q + i + 8);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    b0 = Acc<kL2>(b0, _mm256_loadu_ps(r0 + i + 8), qb);
  }
  if (i + 8 <= dim) {
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), _mm256_loadu_ps(q + i));
    i += 8;
  }
  return Finish<kL2>(a0, b0, q, r0, i, dim);
}

template <bool kL2>
MNEMO_AVX2 inline void DotL2Rows4(const float* q, const float* r0, size_t dim, float* out) {
  const float *r1 = r0 + dim, *r2 = r0 + 2 * dim, *r3 = r0 + 3 * dim;
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m256 qa = _mm256_loadu_ps(q + i), qb = _mm256_loadu_ps(q + i + 8);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    b0 = Acc<kL2>(b0, _mm256_loadu_ps(r0 + i + 8), qb);
    a1 = Acc<kL2>(a1, _mm256_loadu_ps(r1 + i), qa);
    b1 = Acc<kL2>(b1, _mm256_loadu_ps(r1 + i + 8), qb);
    a2 = Acc<kL2>(a2, _mm256_loadu_ps(r2 + i), qa);
    b2 = Acc<kL2>(b2, _mm256_loadu_ps(r2 + i + 8), qb);
    a3 = Acc<kL2>(a3, _mm256_loadu_ps(r3 + i), qa);
    b3 = Acc<kL2>(b3, _mm256_loadu_ps(r3 + i + 8), qb);
  }
  if (i + 8 <= dim) {
    const __m256 qa = _mm256_loadu_ps(q + i);
    a0 = Acc<kL2>(a0, _mm256_loadu_ps(r0 + i), qa);
    a1 = Acc<kL2>(a1, _mm256_loadu_ps(r1 + i), qa);
    a2 = Acc<kL2>(a2, _mm256_loadu_ps(r2 + i), qa);
    a3 = Acc<kL2>(a3, _mm256_loadu_ps(r3 + i), qa);
    i += 8;
  }
  out[0] = Finish<kL2>(a0, b0, q, r0, i, dim);
  out[1] = Finish<kL2>(a1, b1, q, r1, i, dim);
  out[2] = Finish<kL2>(a2, b2, q, r2, i, dim);
  out[3] = Finish<kL2>(a3, b3, q, r3, i, dim);
}

// Cosine parts: q·row and ‖row‖², one accumulator each per row, 8 lanes per step.
MNEMO_AVX2 inline void FinishNorm(__m256 d, __m256 n, const float* q, const float* row, size_t i, size_t dim,
                                  float* dot, float* nb) {
  float sd = Hsum(d), sn = Hsum(n);
  for (; i < dim; i++) {
    float x = row[i];
    sd += x * q[i];
    sn += x * x;
  }
  *dot = sd;
  *nb = sn;
}

MNEMO_AVX2 void DotNormAvx2(const float* q, const float* r0, size_t dim, float* dot, float* nb) {
  __m256 d0 = _mm256_setzero_ps(), n0 = d0;
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 qa = _mm256_loadu_ps(q + i), x0 = _mm256_loadu_ps(r0 + i);
    d0 = _mm256_fmadd_ps(x0, qa, d0);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
  }
  FinishNorm(d0, n0, q, r0, i, dim, dot, nb);
}

MNEMO_AVX2 inline void DotNormRows4(const float* q, const float* r0, size_t dim, float* dot, float* nb) {
  const float *r1 = r0 + dim, *r2 = r0 + 2 * dim, *r3 = r0 + 3 * dim;
  __m256 d0 = _mm256_setzero_ps(), d1 = d0, d2 = d0, d3 = d0, n0 = d0, n1 = d0, n2 = d0, n3 = d0;
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    const __m256 qa = _mm256_loadu_ps(q + i);
    const __m256 x0 = _mm256_loadu_ps(r0 + i), x1 = _mm256_loadu_ps(r1 + i);
    const __m256 x2 = _mm256_loadu_ps(r2 + i), x3 = _mm256_loadu_ps(r3 + i);
    d0 = _mm256_fmadd_ps(x0, qa, d0);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
    d1 = _mm256_fmadd_ps(x1, qa, d1);
    n1 = _mm256_fmadd_ps(x1, x1, n1);
    d2 = _mm256_fmadd_ps(x2, qa, d2);
    n2 = _mm256_fmadd_ps(x2, x2, n2);
    d3 = _mm256_fmadd_ps(x3, qa, d3);
    n3 = _mm256_fmadd_ps(x3, x3, n3);
  }
  FinishNorm(d0, n0, q, r0, i, dim, dot, nb);
  FinishNorm(d1, n1, q, r1, i, dim, dot + 1, nb + 1);
  FinishNorm(d2, n2, q, r2, i, dim, dot + 2, nb + 2);
  FinishNorm(d3, n3, q, r3, i, dim, dot + 3, nb + 3);
}

MNEMO_AVX2 float DotAvx2(const float* a, const float* b, size_t n) { return DotL2Row1<false>(a, b, n); }

MNEMO_AVX2 float L2Avx2(const float* a, const float* b, size_t n) { return DotL2Row1<true>(a, b, n); }

MNEMO_AVX2 float SumAvx2(const float* a, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(_mm256_loadu_ps(a + i), s0);
    s1 = _mm256_add_ps(_mm256_loadu_ps(a + i + 8), s1);
    s2 = _mm256_add_ps(_mm256_loadu_ps(a + i + 16), s2);
    s3 = _mm256_add_ps(_mm256_loadu_ps(a + i + 24), s3);
  }
  float s = Hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; i++) s += a[i];
  return s;
}

// Batch: four rows per step, then the remaining rows one at a time (same per-row arithmetic).
MNEMO_AVX2 void BatchAvx2(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm,
                          float* out) {
  size_t i = 0;
  if (metric == 2) {
    float d[4], nb[4];
    while (i < n) {
      size_t m = n - i >= 4 ? 4 : 1;
      if (m == 4) DotNormRows4(q, rows + i * dim, dim, d, nb);
      else DotNormAvx2(q, rows + i * dim, dim, d, nb);
      for (size_t r = 0; r < m; r++) {
        float denom = qNorm * std::sqrt(nb[r]);
        out[i + r] = denom == 0 ? 0.0f : d[r] / denom;
      }
      i += m;
    }
  } else if (metric == 1) {
    for (; i + 4 <= n; i += 4) DotL2Rows4<true>(q, rows + i * dim, dim, out + i);
    for (; i < n; i++) out[i] = DotL2Row1<true>(q, rows + i * dim, dim);
  } else {
    for (; i + 4 <= n; i += 4) DotL2Rows4<false>(q, rows + i * dim, dim, out + i);
    for (; i < n; i++) out[i] = DotL2Row1<false>(q, rows + i * dim, dim);
  }
}

const Kernels kAvx2 = {DotAvx2, L2Avx2, DotNormAvx2, SumAvx2, BatchAvx2};

}  // namespace

const Kernels* Avx2Kernels() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &kAvx2 : nullptr;
}
#else
const Kernels* Avx2Kernels() { return nullptr; }
#endif

}  // namespace mnemo
