// Portable scalar distance kernels: four independent f32 accumulators, any length. Selected when
// the CPU lacks AVX2+FMA or MNEMO_SIMD=scalar, and by backend('native', { simd: 'scalar' }) in tests.
// docs/native_api.md "Distances".
#include "distance_kernels.h"

namespace mnemo {
namespace {

// The row loop, with the pair kernels inlined into it.
#define MNEMO_DEFINE_BATCH(NAME, ATTR, DOT, L2, DOTNORM)                                          \
  ATTR void NAME(int metric, const float* q, const float* rows, size_t n, size_t dim, float qNorm, \
                 float* out) {                                                                     \
    if (metric == 0) {                                                                             \
      for (size_t i = 0; i < n; i++) out[i] = DOT(q, rows + i * dim, dim);                         \
    } else if (metric == 1) {                                                                      \
      for (size_t i = 0; i < n; i++) out[i] = L2(q, rows + i * dim, dim);                          \
    } else {                                                                                       \
      for (size_t i = 0; i < n; i++) {                                                             \
        float d, nb;                                                                               \
        DOTNORM(q, rows + i * dim, dim, &d, &nb);                                                  \
        float denom = qNorm * std::sqrt(nb);                                                       \
        out[i] = denom == 0 ? 0.0f : d / denom;                                                    \
      }                                                                                            \
    }                                                                                              \
  }


float DotScalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

float L2Scalar(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; i++) {
    float d = a[i] - b[i];
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

void DotNormScalar(const float* a, const float* b, size_t n, float* dot, float* nb) {
  float d0 = 0, d1 = 0, d2 = 0, d3 = 0, n0 = 0, n1 = 0, n2 = 0, n3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
    d0 += a[i] * b0;
    d1 += a[i + 1] * b1;
    d2 += a[i + 2] * b2;
    d3 += a[i + 3] * b3;
    n0 += b0 * b0;
    n1 += b1 * b1;
    n2 += b2 * b2;
    n3 += b3 * b3;
  }
  for (; i < n; i++) {
    d0 += a[i] * b[i];
    n0 += b[i] * b[i];
  }
  *dot = (d0 + d1) + (d2 + d3);
  *nb = (n0 + n1) + (n2 + n3);
}

float SumScalar(const float* a, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; i++) s0 += a[i];
  return (s0 + s1) + (s2 + s3);
}

MNEMO_DEFINE_BATCH(BatchScalar, , DotScalar, L2Scalar, DotNormScalar)

}  // namespace

const Kernels kScalarKernels = {DotScalar, L2Scalar, DotNormScalar, SumScalar, BatchScalar};

}  // namespace mnemo
