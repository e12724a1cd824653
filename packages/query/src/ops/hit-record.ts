/**
 * HitRecord: the record of a vector-search hit that is a live segment row, read column by column
 * when a field is first asked for (then kept). A RECALL ranks 2·LIMIT + 16 neighbours by score,
 * which needs only their decay state, and returns LIMIT of them; the others' content, meta and
 * embedding are never read, and a returned row's embedding (which rows do not show) is never
 * copied.
 *
 * Valid only while the statement's snapshot is held: the fields come from the snapshot's segment
 * view. A RECALL's candidates live exactly that long (the rows handed out are plain data), so only
 * RECALL's VectorSearch makes them; CONSOLIDATE, whose writes drop the snapshot mid-statement,
 * reads whole records.
 */
import type { DecayState, Interval, MemoryKind, MemoryRecord, SegmentView } from '@mnemo/engine';

export class HitRecord implements MemoryRecord {
  private contentRead: string | undefined;
  private metaRead = false;
  private metaValue: unknown = null;
  private embeddingRead: Float32Array | undefined;
  private confidenceRead: Interval | undefined;
  private decayRead: DecayState | undefined;

  constructor(
    readonly id: string,
    readonly space: string,
    private readonly view: SegmentView,
    private readonly row: number,
  ) {}

  get content(): string {
    return (this.contentRead ??= this.view.reader.content(this.row));
  }

  get embedding(): Float32Array {
    return (this.embeddingRead ??= this.view.reader.embeddingCopy(this.row));
  }

  get kind(): MemoryKind {
    return this.view.reader.kind(this.row);
  }

  get created(): number {
    return this.view.reader.created(this.row);
  }

  get recorded(): number {
    return this.view.reader.recorded(this.row);
  }

  get confidence(): Interval {
    return (this.confidenceRead ??= this.view.reader.confidence(this.row));
  }

  /** As the row's record carries it: the newest decay update above the segment, else the row's own. */
  get decay(): DecayState {
    return (this.decayRead ??= this.view.decay(this.row, this.id));
  }

  get meta(): unknown {
    if (!this.metaRead) {
      this.metaValue = this.view.reader.meta(this.row);
      this.metaRead = true;
    }
    return this.metaValue;
  }
}
