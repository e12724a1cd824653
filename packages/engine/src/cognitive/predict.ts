/**
 * PREDICT: ranks memories likely to follow the GIVEN context. Chains of `next` edges forward in
 * valid time within HORIZON, plus one hop of other associations at a lower weight; a candidate's
 * probability per context is its best chain, contexts combine by noisy-OR. Pure over injected
 * accessors. Implements docs/cognition.md §"PREDICT".
 */
import { MnemoError } from '@mnemo/native';
import type { Interval } from '../model.js';
import { CERTAIN, intervalProduct, wilsonInterval } from './interval.js';

export interface PredictEdge {
  to: string;
  kind: string;
  weight: number;
  confidence?: Interval;
}

export interface PredictGraph {
  /** Outgoing associations of a memory. */
  edges(id: string): ReadonlyArray<PredictEdge>;
  /** Valid time of a memory (ms); undefined when it does not exist (as of the query). */
  validTime(id: string): number | undefined;
  /** Retention of the memory at the query time in [0, 1] (recency and frequency); default 1. */
  retention?(id: string): number;
  /** How well the memory matches the PREDICT pattern, in [0, 1]; default 1 (pattern `*`). */
  match?(id: string): number;
}

export interface PredictOptions {
  /** Max valid-time distance from a context to a `next` successor (ms). Default: unbounded. */
  horizonMs?: number;
  /** Longest `next` chain followed. Default 3. */
  maxSteps?: number;
  /** Factor per extra chain step. Default 0.7. */
  stepDecay?: number;
  /** Weight of each association kind; `next` chains, others one hop. Default { next: 1, assoc: 0.5 }. */
  kindWeights?: Readonly<Record<string, number>>;
  limit?: number;
}

/** One row: `score` ∈ [0, 1] is the noisy-OR of the contexts' best chains times the pattern match. */
export interface PredictRow {
  id: string;
  score: number;
  confidence: Interval;
  /** Context id of the strongest supporting chain, and that chain's length. */
  via: string;
  steps: number;
  /** Number of (context, chain) pieces of evidence that reached the memory. */
  evidence: number;
}

export const PREDICT_DEFAULTS = Object.freeze({ maxSteps: 3, stepDecay: 0.7, kindWeights: Object.freeze({ next: 1, assoc: 0.5 }) });

interface Hit {
  p: number;
  conf: Interval;
  steps: number;
}

/** Ranked successors of `given` (score desc, ties by id); the given ids themselves are excluded. */
export function predict(graph: PredictGraph, given: readonly string[], opts: PredictOptions = {}): PredictRow[] {
  const o = resolve(opts);
  const ctx = [...new Set(given)].sort();
  const acc = new Map<string, { notP: number; best: Hit & { via: string }; evidence: number }>();
  for (const c of ctx) {
    for (const [id, hit] of fromContext(graph, c, o)) {
      if (ctx.includes(id)) continue;
      const cur = acc.get(id);
      if (!cur) acc.set(id, { notP: 1 - hit.p, best: { ...hit, via: c }, evidence: 1 });
      else {
        cur.notP *= 1 - hit.p;
        cur.evidence++;
        if (better(hit, cur.best)) cur.best = { ...hit, via: c };
      }
    }
  }
  const rows: PredictRow[] = [];
  for (const [id, a] of acc) {
    const m = graph.match ? clamp01(graph.match(id)) : 1;
    const score = (1 - a.notP) * m;
    if (!(score > 0)) continue;
    const evidenceCi = wilsonInterval(score, a.evidence + 1);
    const confidence = intervalProduct(evidenceCi, a.best.conf);
    rows.push({ id, score, confidence, via: a.best.via, steps: a.best.steps, evidence: a.evidence });
  }
  rows.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return rows.length > o.limit ? rows.slice(0, o.limit) : rows;
}

/** True when `a` is better evidence than `b`: higher p, then fewer steps, then a tighter-from-below confidence. */
function better(a: Hit, b: Hit | undefined): boolean {
  if (b === undefined) return true;
  if (a.p !== b.p) return a.p > b.p;
  if (a.steps !== b.steps) return a.steps < b.steps;
  return a.conf.lo !== b.conf.lo ? a.conf.lo > b.conf.lo : a.conf.hi > b.conf.hi;
}

/**
 * Best chain probability from one context to every reachable successor. `next` chains are relaxed
 * hop by hop (Bellman–Ford bounded by maxSteps) on their own map, so a stronger one-hop association
 * to a node never hides that node's `next` chain, and the result does not depend on edge order.
 */
function fromContext(graph: PredictGraph, c: string, o: ResolvedPredict): Map<string, Hit> {
  const t0 = graph.validTime(c);
  const out = new Map<string, Hit>();
  if (t0 === undefined) return out;
  const chain = new Map<string, Hit>();
  let frontier: Array<[string, Hit]> = [[c, { p: 1, conf: CERTAIN, steps: 0 }]];
  for (let step = 1; step <= o.maxSteps && frontier.length > 0; step++) {
    const improved = new Set<string>();
    for (const [u, hu] of frontier) {
      const tu = graph.validTime(u) ?? t0;
      for (const e of graph.edges(u)) {
        const kw = o.kindWeights[e.kind] ?? 0;
        const isNext = e.kind === 'next';
        if (typeof kw !== 'number' || !(kw > 0) || (!isNext && step > 1)) continue;
        const tv = graph.validTime(e.to);
        if (tv === undefined || e.to === c) continue;
        if (isNext && (tv < tu || tv - t0 > o.horizon)) continue;
        const r = graph.retention ? clamp01(graph.retention(e.to)) : 1;
        const p = hu.p * clamp01(e.weight) * Math.min(1, kw) * r * (step > 1 ? o.stepDecay : 1);
        if (!(p > 0)) continue;
        const hit: Hit = { p, conf: intervalProduct(hu.conf, e.confidence ?? CERTAIN), steps: step };
        if (better(hit, out.get(e.to))) out.set(e.to, hit);
        if (isNext && better(hit, chain.get(e.to))) {
          chain.set(e.to, hit);
          improved.add(e.to);
        }
      }
    }
    frontier = [...improved].sort().map((id) => [id, chain.get(id) as Hit]);
  }
  return out;
}

interface ResolvedPredict {
  horizon: number;
  maxSteps: number;
  stepDecay: number;
  kindWeights: Readonly<Record<string, number>>;
  limit: number;
}

/** Defaults and validation (INVALID_ARGUMENT naming the option). */
function resolve(opts: PredictOptions): ResolvedPredict {
  const o: ResolvedPredict = {
    horizon: opts.horizonMs ?? Number.POSITIVE_INFINITY,
    maxSteps: opts.maxSteps ?? PREDICT_DEFAULTS.maxSteps,
    stepDecay: opts.stepDecay ?? PREDICT_DEFAULTS.stepDecay,
    kindWeights: opts.kindWeights ?? PREDICT_DEFAULTS.kindWeights,
    limit: opts.limit ?? Number.POSITIVE_INFINITY,
  };
  const bad = (what: string, v: number, want: string): never => {
    throw new MnemoError('INVALID_ARGUMENT', `PREDICT ${what} must be ${want}, got ${v}`);
  };
  if (!(o.horizon >= 0)) bad('HORIZON', o.horizon, 'a duration >= 0');
  if (!Number.isInteger(o.maxSteps) || o.maxSteps < 1) bad('maxSteps', o.maxSteps, 'an integer >= 1');
  if (!(o.stepDecay > 0 && o.stepDecay <= 1)) bad('stepDecay', o.stepDecay, 'in (0, 1]');
  if (!(o.limit >= 0) || (Number.isFinite(o.limit) && !Number.isInteger(o.limit))) bad('LIMIT', o.limit, 'an integer >= 0');
  return o;
}

function clamp01(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}
