import type { TenantLimits } from './tenant-directory';

class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private ratePerSecond: number,
    private capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedAtMs = nowMs;
  }

  reconfigure(ratePerSecond: number, capacity: number): void {
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  refill(nowMs: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.updatedAtMs) / 1000) * this.ratePerSecond);
    this.updatedAtMs = nowMs;
  }

  /** Seconds until `amount` tokens are available, 0 when they already are. */
  waitSeconds(amount: number): number {
    return amount <= this.tokens ? 0 : (Math.min(amount, this.capacity) - this.tokens) / this.ratePerSecond;
  }

  take(amount: number): void {
    this.tokens -= amount;
  }
}

/** Per-environment token buckets for events/s and bytes/s, so one noisy SDK cannot use the stream's capacity. */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, { events: TokenBucket; bytes: TokenBucket; limits: TenantLimits }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes the tokens and returns 0, or takes nothing and returns the seconds to wait. */
  tryTake(environmentId: string, limits: TenantLimits, events: number, bytes: number): number {
    const wait = this.waitSeconds(environmentId, limits, events, bytes);
    if (wait > 0) return wait;
    const entry = this.buckets.get(environmentId)!;
    entry.events.take(events);
    entry.bytes.take(bytes);
    return 0;
  }

  /** The seconds until these tokens are there, taking nothing: a payload is refused before it is unpacked. */
  waitSeconds(environmentId: string, limits: TenantLimits, events: number, bytes: number): number {
    const nowMs = this.now();
    const entry = this.bucketsFor(environmentId, limits, nowMs);
    entry.events.refill(nowMs);
    entry.bytes.refill(nowMs);
    return Math.max(entry.events.waitSeconds(events), entry.bytes.waitSeconds(bytes));
  }

  private bucketsFor(environmentId: string, limits: TenantLimits, nowMs: number) {
    let entry = this.buckets.get(environmentId);
    if (!entry) {
      entry = {
        events: new TokenBucket(limits.eventsPerSecond, limits.eventsPerSecond * limits.burstSeconds, nowMs),
        bytes: new TokenBucket(limits.bytesPerSecond, limits.bytesPerSecond * limits.burstSeconds, nowMs),
        limits,
      };
      this.buckets.set(environmentId, entry);
    } else if (entry.limits !== limits) {
      entry.events.reconfigure(limits.eventsPerSecond, limits.eventsPerSecond * limits.burstSeconds);
      entry.bytes.reconfigure(limits.bytesPerSecond, limits.bytesPerSecond * limits.burstSeconds);
      entry.limits = limits;
    }
    return entry;
  }
}
