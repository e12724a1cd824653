/**
 * The association graph of a space at a snapshot, as the engine's cognitive functions want it
 * (neighbours, fan = out-degree, edges with kinds), with per-query caching of adjacency lists.
 */
import type { Association, Snapshot } from '@mnemo/engine';

export class SnapshotGraph {
  private readonly out = new Map<string, Association[]>();
  constructor(private readonly snap: Snapshot, private readonly space: string, private readonly asOf: number | null = null) {}

  edges(id: string): Association[] {
    let list = this.out.get(id);
    if (list === undefined) {
      list = this.snap.associationsFrom(this.space, id);
      if (this.asOf !== null) list = list.filter((a) => a.created <= (this.asOf as number));
      this.out.set(id, list);
    }
    return list;
  }

  neighbors(id: string): Array<{ to: string; weight: number }> {
    return this.edges(id).map((a) => ({ to: a.to, weight: a.weight }));
  }

  fan(id: string): number {
    return this.edges(id).length;
  }
}
