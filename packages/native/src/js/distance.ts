/**
 * Pure-TypeScript f32 distance kernels: the reference for parity tests and the fallback when the
 * addon is off. Accumulate in f64 (JS numbers), 4-way unrolled. Contract (same as distance.cc):
 * inputs already validated (equal lengths); cosine is 0 when either norm is 0.
 */

export function dotJs(a: Float32Array, b: Float32Array): number {
  return dotAt(a, b, 0, a.length);
}

export function l2sqJs(a: Float32Array, b: Float32Array): number {
  return l2At(a, b, 0, a.length);
}

export function cosineJs(a: Float32Array, b: Float32Array): number {
  return cosineAt(a, b, 0, a.length, Math.sqrt(dotAt(a, a, 0, a.length)));
}

/** Σ q[i]·rows[base+i] for i < dim. */
export function dotAt(q: Float32Array, rows: Float32Array, base: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    s0 += q[i]! * rows[base + i]!;
    s1 += q[i + 1]! * rows[base + i + 1]!;
    s2 += q[i + 2]! * rows[base + i + 2]!;
    s3 += q[i + 3]! * rows[base + i + 3]!;
  }
  for (; i < dim; i++) s0 += q[i]! * rows[base + i]!;
  return s0 + s1 + s2 + s3;
}

/** Σ (q[i] − rows[base+i])² for i < dim. */
export function l2At(q: Float32Array, rows: Float32Array, base: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    const d0 = q[i]! - rows[base + i]!;
    const d1 = q[i + 1]! - rows[base + i + 1]!;
    const d2 = q[i + 2]! - rows[base + i + 2]!;
    const d3 = q[i + 3]! - rows[base + i + 3]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < dim; i++) {
    const d = q[i]! - rows[base + i]!;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/** Cosine of q and rows[base..base+dim), given ‖q‖ (0 when a norm is 0). */
export function cosineAt(q: Float32Array, rows: Float32Array, base: number, dim: number, qNorm: number): number {
  let d0 = 0, d1 = 0, n0 = 0, n1 = 0;
  let i = 0;
  for (; i + 2 <= dim; i += 2) {
    const r0 = rows[base + i]!;
    const r1 = rows[base + i + 1]!;
    d0 += q[i]! * r0;
    d1 += q[i + 1]! * r1;
    n0 += r0 * r0;
    n1 += r1 * r1;
  }
  for (; i < dim; i++) {
    const r = rows[base + i]!;
    d0 += q[i]! * r;
    n0 += r * r;
  }
  const denom = qNorm * Math.sqrt(n0 + n1);
  return denom === 0 ? 0 : (d0 + d1) / denom;
}

/** One score per row into out (metric ids as in raw-backend.ts). */
export function scoreBatchJs(metric: 0 | 1 | 2, q: Float32Array, rows: Float32Array, out: Float32Array): void {
  const dim = q.length;
  const n = rows.length / dim;
  if (metric === 0) for (let r = 0; r < n; r++) out[r] = dotAt(q, rows, r * dim, dim);
  else if (metric === 1) for (let r = 0; r < n; r++) out[r] = l2At(q, rows, r * dim, dim);
  else {
    const qn = Math.sqrt(dotAt(q, q, 0, dim));
    for (let r = 0; r < n; r++) out[r] = cosineAt(q, rows, r * dim, dim, qn);
  }
}
