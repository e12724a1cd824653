/**
 * Lazy checksum verification of one section of a mapped v2 segment (docs/segment_format.md §2.5,
 * §4 step 6): the section is cut into blocks of 2^shift bytes, each with its CRC32C in the block
 * table; a read verifies the blocks its byte range touches, once per mapping (a verified-block
 * bitmap). A v1 section (or a v2 one verified at open) is a guard with everything verified.
 */
import { crc32c } from '@mnemo/native';
import { corruption } from './corruption.js';

export class SectionGuard {
  /** True once every block is verified: reads skip all checks. */
  all: boolean;
  private readonly done: Uint8Array;
  private left: number;
  private readonly size: number;

  /**
   * `file`: the whole mapping; `offset`/`padded`: the section's place and padded length in it;
   * `crcs`: its run of block CRCs (null: verified already, e.g. a v1 file checked at open).
   */
  constructor(
    private readonly path: string,
    readonly id: number,
    private readonly file: Uint8Array,
    private readonly offset: number,
    private readonly padded: number,
    private readonly crcs: Uint32Array | null,
    shift: number,
  ) {
    this.size = 2 ** shift;
    const blocks = crcs === null ? 0 : crcs.length;
    this.done = new Uint8Array(blocks);
    this.left = blocks;
    this.all = blocks === 0;
  }

  /** Verifies the blocks holding section bytes [from, to) (section-relative; empty range: nothing). */
  check(from: number, to: number): void {
    if (this.all || to <= from) return;
    const last = Math.floor((to - 1) / this.size);
    for (let b = Math.floor(from / this.size); b <= last; b++) if (this.done[b] === 0) this.verify(b);
  }

  /** Verifies every block of the section. */
  checkAll(): void {
    if (!this.all) this.check(0, this.padded);
  }

  private verify(b: number): void {
    const start = this.offset + b * this.size;
    const end = Math.min(start + this.size, this.offset + this.padded);
    if (crc32c(this.file.subarray(start, end)) !== (this.crcs as Uint32Array)[b]) {
      throw corruption(this.path, this.id, `block ${b} (file bytes ${start}..${end}): checksum mismatch`, { block: b });
    }
    this.done[b] = 1;
    if (--this.left === 0) this.all = true;
  }
}
