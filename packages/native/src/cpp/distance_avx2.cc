// AVX2+FMA distance kernels. Only these functions carry target("avx2,fma"); the addon as a whole
// is built for baseline x86-64 and calls them only after __builtin_cpu_supports says yes.
// docs/native_api.md "Distances".
#include "distance_avx2.h"
#include "distance_kernels.h"

namespace mnemo {

#if defined(__x86_64__)
namespace {

// Rows are read strictly front to back, one row after the other (the pattern hardware prefetchers
// follow best; scoring four rows at once measured ~2× slower from DRAM). Four accumulators of 8
// lanes per row hide the FMA latency. The batch loop inlines these same functions, so a row's
// score is bit-identical whether computed as a pair or in a batch.
template <bool kL2>
MNEMO_AVX2 inline __m256 Acc(__m256 acc, __m256 x, __m256 qv) {
  if (kL2) {
    x = _mm256_sub_ps(x, qv);
    return _mm256_fmadd_ps(x, x, acc);
  }
  return _mm256_fmadd_ps(x, qv, acc);
}

template <bool kL2>
MNEMO_AVX2 inline float DotL2Row(const float* q, const float* r, size_t dim) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 32 <= dim; i += 32) {
    s0 = Acc<kL2>(s0, _mm256_loadu_ps(r + i), _mm256_loadu_ps(q + i));
    s1 = Acc<kL2>(s1, _mm256_loadu_ps(r + i + 8), _mm256_loadu_ps(q + i + 8));
    s2 = Acc<kL2>(s2, _mm256_loadu_ps(r + i + 16), _mm256_loadu_ps(q + i + 16));
    s3 = Acc<kL2>(s3, _mm256_loadu_ps(r + i + 24), _mm256_loadu_ps(q + i + 24));
  }
  for (; i + 8 <= dim; i += 8) s0 = Acc<kL2>(s0, _mm256_loadu_ps(r + i), _mm256_loadu_ps(q + i));
  float s = Hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < dim; i++) {
    float x = r[i];
    if (kL2) {
      float d = x - q[i];
      s += d * d;
    } else {
      s += x * q[i];
    }
  }
  return s;
}

// Cosine parts: q·row and ‖row‖², two accumulators each, 16 lanes per step.
MNEMO_AVX2 inline void DotNormRow(const float* q, const float* r, size_t dim, float* dot, float* nb) {
  __m256 d0 = _mm256_setzero_ps(), d1 = d0, n0 = d0, n1 = d0;
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    const __m256 x0 = _mm256_loadu_ps(r + i), x1 = _mm256_loadu_ps(r + i + 8);
    d0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(q + i), d0);
    d1 = _mm256_fmadd_ps(x1, _mm256_loadu_ps(q + i + 8), d1);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
    n1 = _mm256_fmadd_ps(x1, x1, n1);
  }
  for (; i + 8 <= dim; i += 8) {
    const __m256 x0 = _mm256_loadu_ps(r + i);
    d0 = _mm256_fmadd_ps(x0, _mm256_loadu_ps(q + i), d0);
    n0 = _mm256_fmadd_ps(x0, x0, n0);
  }
  float sd = Hsum(_mm256_add_ps(d0, d1)), sn = Hsum(_mm256_add_ps(n0, n1));
  for (; i < dim; i++) {
    float x = r[i];
    sd += x * q[i];
    sn += x * x;
  }
  *dot = sd;
  *nb = sn;
}

MNEMO_AVX2 float DotAvx2(const float* a, const float* b, size_t n) { return DotL2Row<false>(a, b, n); }

MNEMO_AVX2 float L2Avx2(const float* a, const float* b, size_t n) { return DotL2Row<true>(a, b, n); }

MNEMO_AVX2 void DotNormAvx2(const float* q, const float* r, size_t dim, float* dot, float* nb) {
  DotNormRow(q, r, dim, dot, nb);
}

MNEMO_AVX2 float SumAvx2(const float* a, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
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

// out[i] = score(q, row i), rows in order; the row kernels above are inlined.
MNEMO_AVX2 void BatchAvx2(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm,
                          float* out) {
  if (metric == 0) {
    for (size_t i = 0; i < n; i++) out[i] = DotL2Row<false>(q, rows + i * dim, dim);
  } else if (metric == 1) {
    for (size_t i = 0; i < n; i++) out[i] = DotL2Row<true>(q, rows + i * dim, dim);
  } else {
    for (size_t i = 0; i < n; i++) {
      float d, nb;
      DotNormRow(q, rows + i * dim, dim, &d, &nb);
      float denom = qNorm * std::sqrt(nb);
      out[i] = denom == 0 ? 0.0f : d / denom;
    }
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
