/**
 * IMAGINE: pattern completion from the nearest memories and their associations. Each candidate
 * has closeness c (similarity to the pattern) and support a (best seed→association path);
 * score = max(c, a) · ((1 − x)·c + x·(1 − c)) with NOVELTY x trading closeness for distance.
 * Pure over injected accessors. Implements docs/cognition.md §"IMAGINE".
 */
import { MnemoError } from '@mnemo/native';
import type { Interval, Metric } from '../model.js';
import { CERTAIN, intervalProduct, wilsonInterval } from './interval.js';
import { centroid, isFiniteVector, similarity } from './vector-sim.js';

export interface ImagineGraph {
  embedding(id: string): Float32Array | undefined;
  neighbors(id: string): ReadonlyArray<{ to: string; weight: number }>;
  /** Stored confidence of a memory; default [1, 1]. */
  confidence?(id: string): Interval;
}

export interface ImagineOptions {
  metric: Metric;
  /** NOVELTY in [0, 1]. Default 0.3. */
  novelty?: number;
  /** Association hops explored from the seeds. Default 2. */
  hops?: number;
  /** Factor per association hop. Default 0.5. */
  decay?: number;
  limit?: number;
}

export interface ImagineRow {
  id: string;
  score: number;
  closeness: number;
  support: number;
  confidence: Interval;
}

export interface ImagineResult {
  rows: ImagineRow[];
  /** The completed pattern: (1 − x)·pattern + x·(score-weighted mean of the rows), as unit vectors. */
  completion: Float32Array;
}

export const IMAGINE_DEFAULTS = Object.freeze({ novelty: 0.3, hops: 2, decay: 0.5 });

/**
 * `seeds` are the nearest memories (or BASED ON ids) with their similarity to the pattern;
 * `pattern` null means "complete the seeds": their centroid is the pattern.
 */
export function imagine(
  graph: ImagineGraph,
  pattern: Float32Array | null,
  seeds: ReadonlyArray<{ id: string; similarity: number }>,
  opts: ImagineOptions,
): ImagineResult {
  const x = checkOptions(opts, pattern);
  const seedVecs = seeds.map((s) => graph.embedding(s.id)).filter((v): v is Float32Array => v !== undefined);
  if (seedVecs.length === 0) return { rows: [], completion: pattern ? unit(pattern) : new Float32Array(0) };
  const p = pattern ?? centroid(seedVecs, opts.metric);
  const support = supportFromSeeds(graph, seeds, opts);
  const rows: ImagineRow[] = [];
  for (const [id, s] of support) {
    const e = graph.embedding(id);
    if (e === undefined) continue;
    const c = isFiniteVector(e) ? clamp01(similarity(p, e, opts.metric)) : 0;
    const score = Math.max(c, s.a) * ((1 - x) * c + x * (1 - c));
    if (!(score > 0)) continue;
    const conf = intervalProduct(wilsonInterval(score, s.n + 1), graph.confidence?.(id) ?? CERTAIN);
    rows.push({ id, score, closeness: c, support: s.a, confidence: conf });
  }
  rows.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const top = opts.limit !== undefined && rows.length > opts.limit ? rows.slice(0, opts.limit) : rows;
  return { rows: top, completion: complete(graph, p, top, x) };
}

/** Best path strength from any seed (seed closeness × Π weight·decay) and the number of seeds reaching it. */
function supportFromSeeds(
  graph: ImagineGraph,
  seeds: ReadonlyArray<{ id: string; similarity: number }>,
  opts: ImagineOptions,
): Map<string, { a: number; n: number }> {
  const hops = opts.hops ?? IMAGINE_DEFAULTS.hops;
  const r = opts.decay ?? IMAGINE_DEFAULTS.decay;
  const out = new Map<string, { a: number; n: number }>();
  const sorted = [...seeds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const seed of sorted) {
    const best = new Map<string, number>([[seed.id, clamp01(seed.similarity)]]);
    let frontier = [seed.id];
    for (let h = 1; h <= hops && frontier.length > 0; h++) {
      const improved = new Set<string>();
      for (const u of frontier) {
        const au = best.get(u) as number;
        for (const e of graph.neighbors(u)) {
          const a = au * r * clamp01(e.weight);
          if (a > (best.get(e.to) ?? 0)) {
            best.set(e.to, a);
            improved.add(e.to);
          }
        }
      }
      frontier = [...improved].sort();
    }
    for (const [id, a] of best) {
      const cur = out.get(id);
      if (!cur) out.set(id, { a, n: 1 });
      else {
        cur.a = Math.max(cur.a, a);
        cur.n++;
      }
    }
  }
  return out;
}

function complete(graph: ImagineGraph, p: Float32Array, rows: readonly ImagineRow[], x: number): Float32Array {
  const acc = new Float64Array(p.length);
  let total = 0;
  for (const row of rows) {
    const e = graph.embedding(row.id);
    if (e === undefined || e.length !== p.length) continue;
    const u = unit(e);
    for (let i = 0; i < u.length; i++) acc[i] = (acc[i] as number) + row.score * (u[i] as number);
    total += row.score;
  }
  const pu = unit(p);
  const out = new Float32Array(p.length);
  for (let i = 0; i < out.length; i++) {
    const mix = total > 0 ? (acc[i] as number) / total : (pu[i] as number);
    out[i] = (1 - x) * (pu[i] as number) + x * mix;
  }
  return unit(out);
}

/** v / |v|; the zero vector (and a vector with a non-finite component) gives the zero vector. */
function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += (v[i] as number) * (v[i] as number);
  const k = n > 0 && n < Number.POSITIVE_INFINITY ? 1 / Math.sqrt(n) : 0;
  return k > 0 ? v.map((y) => y * k) : new Float32Array(v.length);
}

/** Validates the options (INVALID_ARGUMENT naming the bad one) and returns NOVELTY. */
function checkOptions(opts: ImagineOptions, pattern: Float32Array | null): number {
  const bad = (what: string, v: unknown, want: string): never => {
    throw new MnemoError('INVALID_ARGUMENT', `IMAGINE ${what} must be ${want}, got ${String(v)}`);
  };
  const x = opts.novelty ?? IMAGINE_DEFAULTS.novelty;
  if (!(x >= 0 && x <= 1)) bad('NOVELTY', x, 'in [0, 1]');
  const hops = opts.hops ?? IMAGINE_DEFAULTS.hops;
  if (!Number.isInteger(hops) || hops < 0) bad('hops', hops, 'an integer >= 0');
  const decay = opts.decay ?? IMAGINE_DEFAULTS.decay;
  if (!(decay > 0 && decay <= 1)) bad('decay', decay, 'in (0, 1]');
  const limit = opts.limit;
  if (limit !== undefined && (!(limit >= 0) || (Number.isFinite(limit) && !Number.isInteger(limit)))) bad('LIMIT', limit, 'an integer >= 0');
  if (pattern !== null && pattern.some((v) => !Number.isFinite(v))) bad('pattern', '[...]', 'a vector of finite numbers');
  return x;
}

function clamp01(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}
