// Asymmetric u8 distance kernels for the HNSW graph walk (see hnsw_quant.h, docs/hnsw_format.md
// section 5). The AVX2 kernels widen 16 codes per step to two 8×i32 → f32 vectors and FMA them;
// the scalar kernels compute the same sums with four accumulators.
#include "hnsw_quant.h"

#include "distance_avx2.h"
#include "hnsw_core.h"

namespace mnemo {
namespace hnsw {

namespace {

float IpScalar(const float* a, const uint8_t* x, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (size_t i = 0; i < n; i += 4) {
    s0 += a[i] * x[i];
    s1 += a[i + 1] * x[i + 1];
    s2 += a[i + 2] * x[i + 2];
    s3 += a[i + 3] * x[i + 3];
  }
  return (s0 + s1) + (s2 + s3);
}

float L2Scalar(const float* a, const float* b, const uint8_t* x, size_t n) {
  float s0 = 0, s1 = 0;
  for (size_t i = 0; i < n; i += 2) {
    float d0 = a[i] - b[i] * x[i], d1 = a[i + 1] - b[i + 1] * x[i + 1];
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  return s0 + s1;
}

#if defined(__x86_64__)
#define MNEMO_QUANT_X86 1

// 16 codes → two f32 vectors (low 8, high 8).
MNEMO_AVX2 inline void Widen16(const uint8_t* x, __m256* lo, __m256* hi) {
  __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
  *lo = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
  *hi = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_unpackhi_epi64(b, b)));
}

MNEMO_AVX2 float IpAvx2(const float* a, const uint8_t* x, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0;
  for (size_t i = 0; i < n; i += 16) {
    __m256 lo, hi;
    Widen16(x + i, &lo, &hi);
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), lo, s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), hi, s1);
  }
  return Hsum(_mm256_add_ps(s0, s1));
}

MNEMO_AVX2 float L2Avx2(const float* a, const float* b, const uint8_t* x, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0;
  for (size_t i = 0; i < n; i += 16) {
    __m256 lo, hi;
    Widen16(x + i, &lo, &hi);
    __m256 d0 = _mm256_fnmadd_ps(_mm256_loadu_ps(b + i), lo, _mm256_loadu_ps(a + i));
    __m256 d1 = _mm256_fnmadd_ps(_mm256_loadu_ps(b + i + 8), hi, _mm256_loadu_ps(a + i + 8));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  return Hsum(_mm256_add_ps(s0, s1));
}
#endif

}  // namespace

const QuantKernels& ScalarQuantKernels() {
  static const QuantKernels k{IpScalar, L2Scalar, "scalar"};
  return k;
}

const QuantKernels& ActiveQuantKernels() {
#ifdef MNEMO_QUANT_X86
  static const QuantKernels avx{IpAvx2, L2Avx2, "avx2-fma"};
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (has) return avx;
#endif
  return ScalarQuantKernels();
}

// ip metrics: q·v ≈ Σ q·offset + Σ (q·scale)·x, so a = q·scale and the constant folds into base
// (cosine: 1 − q̂·v̂; dot: −q·v). l2: (q − v)ᵢ ≈ (q − offset)ᵢ − scaleᵢ·xᵢ.
void PrepareQuant(QuantDist& dist, const float* q, size_t dim, uint32_t metric, const float* offset, const float* scale,
                  const uint8_t* codes, const QuantKernels& k, std::vector<float>& scratch) {
  const size_t span = QuantSpan(dim);
  scratch.assign(2 * span, 0.0f);
  float* a = scratch.data();
  float* b = a + span;
  double c = 0;
  for (size_t i = 0; i < dim; i++) {
    if (metric == kL2) {
      a[i] = q[i] - offset[i];
      b[i] = scale[i];
    } else {
      a[i] = q[i] * scale[i];
      c += static_cast<double>(q[i]) * offset[i];
    }
  }
  dist.codes = codes;
  dist.stride = QuantStride(dim);
  dist.span = span;
  dist.a = a;
  dist.b = b;
  dist.l2 = metric == kL2;
  dist.base = metric == kCosine ? static_cast<float>(1.0 - c) : static_cast<float>(-c);
  dist.k = k;
}

}  // namespace hnsw
}  // namespace mnemo
