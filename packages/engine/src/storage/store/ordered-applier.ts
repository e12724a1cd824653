/**
 * Publishes acknowledged batches (moves the store's lastLsn) strictly in the order they were
 * appended to the WAL (docs/storage.md, "Write path"). Each write takes a ticket in call order —
 * the same order in which the WAL assigns LSNs — and its step runs only after every earlier
 * ticket was applied or abandoned (its append failed), whatever order the acknowledgements arrive
 * in; idle() lets a flush or close wait for every write in flight.
 */

export class OrderedApplier {
  private nextTicket = 0;
  private nextToApply = 0;
  private readonly ready = new Map<number, (() => void) | null>();
  private readonly waiters = new Map<number, (() => void)[]>();

  /** Reserve the next position (call synchronously right before the WAL append). */
  ticket(): number {
    return this.nextTicket++;
  }

  /** Number of tickets not yet applied or abandoned. */
  get inFlight(): number {
    return this.nextTicket - this.nextToApply;
  }

  /** Run `fn` in ticket order; resolves once it ran (rejects if it threw). */
  apply(ticket: number, fn: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ready.set(ticket, () => {
        try {
          fn();
          resolve();
        } catch (e) {
          reject(e);
        }
      });
      this.drain();
    });
  }

  /** The ticket's append failed: skip it. */
  abandon(ticket: number): void {
    this.ready.set(ticket, null);
    this.drain();
  }

  /** Resolves when every ticket issued so far has been applied or abandoned. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    const last = this.nextTicket - 1;
    return new Promise<void>((resolve) => {
      const list = this.waiters.get(last);
      if (list === undefined) this.waiters.set(last, [resolve]);
      else list.push(resolve);
    });
  }

  private drain(): void {
    while (this.ready.has(this.nextToApply)) {
      const t = this.nextToApply;
      const fn = this.ready.get(t);
      this.ready.delete(t);
      this.nextToApply++;
      if (fn) fn();
      const w = this.waiters.get(t);
      if (w !== undefined) {
        this.waiters.delete(t);
        for (const f of w) f();
      }
    }
  }
}
