/**
 * A progress bar on stderr for long work (import, compaction, consolidation, index builds). Drawn
 * only when stderr is a TTY; otherwise silent. Redraws at most every 100 ms. A total of 0 means
 * "unknown": a counter is shown instead of a bar.
 */

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export class ProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private done = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly sink: ProgressSink = process.stderr,
    private readonly clock: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.sink.isTTY === true;
  }

  /** Set absolute progress. */
  update(done: number): void {
    this.done = this.total > 0 ? Math.min(done, this.total) : done;
    const now = this.clock();
    if (!this.enabled || (now - this.lastDraw < 100 && this.done < this.total)) return;
    this.lastDraw = now;
    this.sink.write(`\r${this.render()}`);
  }

  tick(n = 1): void {
    this.update(this.done + n);
  }

  /** Clear the bar line. */
  finish(): void {
    if (this.enabled) this.sink.write('\r\x1b[2K');
  }

  render(): string {
    if (this.total <= 0) return `${this.label} … ${this.done} done`;
    const width = Math.max(10, Math.min(40, (this.sink.columns ?? 80) - this.label.length - 30));
    const frac = this.total > 0 ? this.done / this.total : 1;
    const full = Math.round(frac * width);
    return `${this.label} [${'█'.repeat(full)}${'░'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${this.done}/${this.total}`;
  }
}
