/**
 * Consolidate: clusters the input episodic memories by embedding similarity (engine
 * clusterEpisodes; above 2 000 episodes the neighbourhoods come from the vector index, 32 per
 * episode) and writes, in ONE batch, a semantic memory per cluster (centroid embedding,
 * representative content, Wilson confidence that narrows with evidence) plus `derived_from`
 * associations to every member. An existing summary (Jaccard overlap ≥ 0.5) keeps its id and
 * presentation history and is updated, so re-running makes no duplicates. Episodes are kept.
 */
import {
  clusterEpisodes, initialDecayState, searchVectors, summarizeCluster,
  type ExistingSummary, type MemoryRecord, type SpaceConfig, type WriteOp,
} from '@mnemo/engine';
import type { ExecContext } from '../exec/context.js';
import { candidate, type Candidate } from './candidate.js';
import { scoreCandidate } from './decay-score.js';
import { only, pull, type Op } from './op.js';

export const DERIVED_FROM = 'derived_from';
export const INDEX_NEIGHBOURS_ABOVE = 2000;
const NEIGHBOURS = 32;

export interface ConsolidateParams {
  similarity: number;
  minSize: number;
  into: string | null;
}

export class ConsolidateOp implements Op<Candidate> {
  readonly name = 'Consolidate';
  constructor(readonly children: readonly Op[], readonly space: SpaceConfig, readonly p: ConsolidateParams) {}

  describe(): string {
    return `similarity>=${this.p.similarity} min_size=${this.p.minSize}${this.p.into ? ' into=' + this.p.into : ''} writes=semantic+${DERIVED_FROM}`;
  }

  private existing(ctx: ExecContext): ExistingSummary[] {
    const out: ExistingSummary[] = [];
    for (const r of ctx.snap.scan(this.space.name)) {
      if (r.kind !== 'semantic') continue;
      const members = ctx.snap.associationsFrom(this.space.name, r.id).filter((a) => a.kind === DERIVED_FROM).map((a) => a.to);
      if (members.length > 0) out.push({ id: r.id, members });
    }
    return out;
  }

  private neighbours(ctx: ExecContext, items: MemoryRecord[]): ((i: number) => Iterable<number>) | undefined {
    if (items.length <= INDEX_NEIGHBOURS_ABOVE) return undefined;
    const index = new Map(items.map((r, i) => [r.id, i]));
    return (i) => searchVectors(ctx.snap, this.space, (items[i] as MemoryRecord).embedding, {
      k: NEIGHBOURS, filter: (row) => row.kind === 'episodic',
    }, ctx.core.cache).flatMap((h) => (index.has(h.id) ? [index.get(h.id) as number] : []));
  }

  async run(ctx: ExecContext): Promise<Candidate[]> {
    const input = ((await pull(ctx, only(this.children))) as Candidate[]).map((c) => c.rec).filter((r) => r.kind === 'episodic');
    const items = [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const nb = this.neighbours(ctx, items);
    const clusters = clusterEpisodes(items, { similarity: this.p.similarity, minSize: this.p.minSize, ...(nb ? { neighbors: nb } : {}) }, this.space.metric);
    const order = clusters.map((c, i) => i).sort((a, b) => (clusters[b]!.ids.length - clusters[a]!.ids.length) || a - b);
    const existing = this.existing(ctx);
    const taken = new Set<string>();
    if (this.p.into !== null) taken.add(this.p.into);
    const ops: WriteOp[] = [];
    const made: Array<{ id: string; members: string[]; reused: boolean }> = [];
    ctx.reportProgress('consolidate', 0, order.length);
    for (const [n, ci] of order.entries()) {
      ctx.reportProgress('consolidate', n, order.length);
      const cl = clusters[ci]!;
      const members = cl.indices.map((i) => items[i] as MemoryRecord);
      const useInto = this.p.into !== null && made.length === 0;
      const sum = summarizeCluster(members.map((m) => ({ id: m.id, embedding: m.embedding, created: m.created, confidence: m.confidence })),
        this.space.metric, { existing: useInto ? [] : existing, taken });
      const id = useInto ? (this.p.into as string) : sum.id;
      const prev = ctx.snap.get(this.space.name, id);
      const rep = members.find((m) => m.id === sum.representative) as MemoryRecord;
      const created = Math.max(...members.map((m) => m.created));
      ops.push({ op: 'remember', record: {
        id, space: this.space.name, content: rep.content, embedding: sum.centroid, kind: 'semantic', created: prev?.created ?? created,
        confidence: sum.confidence, decay: prev?.decay ?? initialDecayState(created, this.space.decay),
        meta: { consolidated: true, members: sum.members.length, cohesion: Math.round(sum.cohesion * 1e6) / 1e6, representative: rep.id },
      } });
      const old = new Set(prev ? ctx.snap.associationsFrom(this.space.name, id).filter((a) => a.kind === DERIVED_FROM).map((a) => a.to) : []);
      for (const m of sum.members) {
        if (!old.has(m)) ops.push({ op: 'associate', space: this.space.name, assoc: { from: id, to: m, kind: DERIVED_FROM, weight: 1, confidence: sum.confidence, created: ctx.now } });
      }
      for (const m of old) if (!sum.members.includes(m)) ops.push({ op: 'dissociate', space: this.space.name, from: id, to: m, kind: DERIVED_FROM });
      made.push({ id, members: sum.members, reused: prev !== undefined });
    }
    await ctx.write(ops);
    ctx.recordWrites(made.map((m) => m.id), ops.length);
    return this.results(ctx, made, ops);
  }

  private results(ctx: ExecContext, made: Array<{ id: string; members: string[]; reused: boolean }>, ops: WriteOp[]): Candidate[] {
    const byId = new Map(ops.flatMap((o) => (o.op === 'remember' ? [[o.record.id, o.record] as const] : [])));
    return made.map((m) => {
      const r = byId.get(m.id) as MemoryRecord;
      const c = candidate({ ...r, recorded: ctx.now });
      scoreCandidate(c, ctx.now, this.space.decay);
      c.extra = { members: m.members, updated: m.reused };
      return c;
    });
  }
}
