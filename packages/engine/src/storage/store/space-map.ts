/**
 * The store's spaces by name, with the name-sorted list cached: every snapshot captures that list
 * (docs/storage.md, "Memtable and snapshots"), so it is sorted once per change of the spaces,
 * not once per snapshot. The cached array is never handed out for mutation (readers copy it).
 */
import type { SpaceConfig } from '../../model.js';

export class SpaceMap extends Map<string, SpaceConfig> {
  private sortedCache: readonly SpaceConfig[] | null = null;

  override set(name: string, cfg: SpaceConfig): this {
    this.sortedCache = null;
    return super.set(name, cfg);
  }

  override delete(name: string): boolean {
    this.sortedCache = null;
    return super.delete(name);
  }

  override clear(): void {
    this.sortedCache = null;
    super.clear();
  }

  /** Every space, sorted by name (a shared array: do not mutate). */
  sorted(): readonly SpaceConfig[] {
    if (this.sortedCache === null) {
      this.sortedCache = Object.freeze([...this.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }
    return this.sortedCache;
  }
}
