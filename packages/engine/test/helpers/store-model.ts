/**
 * In-memory reference model of the store's semantics (docs/storage.md) for the model-based
 * test: plain maps, no layers, no files. remember replaces a memory (keeping its edges),
 * associate needs both ends, present advances the decay state with the cognitive module's pure
 * function, forget removes the memory and every edge from or to it.
 */
import { initialDecayState, recordPresentation } from '../../src/cognitive/decay.js';
import type { Association, DecayModel, MemoryRecord } from '../../src/model.js';

export interface ModelSpace {
  decay: DecayModel;
  dim: number;
  memories: Map<string, MemoryRecord>;
  assocs: Map<string, Association>;
}

const key = (from: string, to: string, kind: string): string => `${from}\u0000${to}\u0000${kind}`;

export class StoreModel {
  readonly spaces = new Map<string, ModelSpace>();

  addSpace(name: string, dim: number, decay: DecayModel): void {
    this.spaces.set(name, { decay, dim, memories: new Map(), assocs: new Map() });
  }

  space(name: string): ModelSpace {
    const s = this.spaces.get(name);
    if (s === undefined) throw new Error(`model: no space ${name}`);
    return s;
  }

  exists(space: string, id: string): boolean {
    return this.space(space).memories.has(id);
  }

  remember(space: string, id: string, content: string, embedding: Float32Array, created: number, recorded: number): void {
    const s = this.space(space);
    s.memories.set(id, {
      id, space, content, embedding, kind: 'episodic', created, recorded, confidence: { lo: 1, hi: 1 },
      decay: initialDecayState(created, s.decay), meta: null,
    });
  }

  associate(space: string, from: string, to: string, kind: string, weight: number, created: number, recorded: number): void {
    const s = this.space(space);
    s.assocs.set(key(from, to, kind), { from, to, kind, weight, confidence: { lo: 1, hi: 1 }, created, recorded });
  }

  dissociate(space: string, from: string, to: string, kind?: string): void {
    const s = this.space(space);
    for (const [k, a] of s.assocs) if (a.from === from && a.to === to && (kind === undefined || a.kind === kind)) s.assocs.delete(k);
  }

  present(space: string, id: string, at: number, times: number): void {
    const s = this.space(space);
    const m = s.memories.get(id);
    if (m === undefined) return;
    s.memories.set(id, { ...m, decay: recordPresentation(m.decay, at, s.decay, times) });
  }

  forget(space: string, id: string): void {
    const s = this.space(space);
    if (!s.memories.delete(id)) return;
    for (const [k, a] of s.assocs) if (a.from === id || a.to === id) s.assocs.delete(k);
  }

  /** Live memories in code point order of id. */
  scan(space: string): MemoryRecord[] {
    return [...this.space(space).memories.values()].sort((a, b) => cmp(a.id, b.id));
  }

  associationsFrom(space: string, id: string): Association[] {
    return [...this.space(space).assocs.values()].filter((a) => a.from === id).sort((a, b) => cmp(a.to, b.to) || cmp(a.kind, b.kind));
  }

  associationsTo(space: string, id: string): Association[] {
    return [...this.space(space).assocs.values()].filter((a) => a.to === id).sort((a, b) => cmp(a.from, b.from) || cmp(a.kind, b.kind));
  }

  clone(): StoreModel {
    const m = new StoreModel();
    for (const [name, s] of this.spaces) m.spaces.set(name, { decay: s.decay, dim: s.dim, memories: new Map(s.memories), assocs: new Map(s.assocs) });
    return m;
  }
}

function cmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A record in comparable plain form (embedding as array). */
export function plain(r: MemoryRecord | undefined): unknown {
  if (r === undefined) return undefined;
  return { ...r, embedding: Array.from(r.embedding) };
}
