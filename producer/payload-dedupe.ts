/**
 * Remembers accepted payload ids per environment for a window, so an SDK retry of a payload we already
 * accepted is acknowledged without being written twice. Bounded: the oldest ids go first when full.
 */
export class PayloadDedupe {
  private readonly expiresAtByKey = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  seen(environmentId: string, payloadId: string): boolean {
    const expiresAt = this.expiresAtByKey.get(`${environmentId}\n${payloadId}`);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  remember(environmentId: string, payloadId: string): void {
    const nowMs = this.now();
    const key = `${environmentId}\n${payloadId}`;
    this.expiresAtByKey.delete(key);
    this.expiresAtByKey.set(key, nowMs + this.windowMs);
    // Map iterates in insertion order, so the first entries are the oldest.
    for (const [oldest, expiresAt] of this.expiresAtByKey) {
      if (expiresAt > nowMs && this.expiresAtByKey.size <= this.maxEntries) break;
      this.expiresAtByKey.delete(oldest);
    }
  }
}
