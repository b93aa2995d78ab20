/**
 * Remembers accepted payload ids per environment for a window, so an SDK retry of a payload we already
 * accepted is acknowledged without being written twice. Bounded: the oldest ids go first when full.
 */
export class PayloadDedupe {
  private readonly expiresAtByKey = new Map<string, number>();
  /** Payloads being handled now, each settling to whether it was accepted. */
  private readonly inProgress = new Map<string, Promise<boolean>>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether this payload was already accepted, after waiting for any copy of it still in progress (an SDK retry
   * that overtakes a slow first attempt); if not, the caller owns the payload until it calls the returned function.
   */
  async claim(environmentId: string, payloadId: string): Promise<'duplicate' | ((accepted: boolean) => void)> {
    const key = `${environmentId}\n${payloadId}`;
    for (let pending = this.inProgress.get(key); pending; pending = this.inProgress.get(key)) await pending;
    if (this.seen(environmentId, payloadId)) return 'duplicate';
    let settle!: (accepted: boolean) => void;
    this.inProgress.set(key, new Promise<boolean>((resolve) => (settle = resolve)));
    return (accepted) => {
      if (accepted) this.remember(environmentId, payloadId);
      this.inProgress.delete(key);
      settle(accepted);
    };
  }

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
