/**
 * A seeded corpus of SDK event payloads shaped like production traffic rather than like a load test, for measuring
 * sizes and compression. The assumptions, each a guess to revise against real traffic:
 * - Flags: 5,000 keys of two to four words; evaluations follow a Zipf law (exponent 1.1) over them, so a few flags
 *   take most evaluations, as in any flag-heavy application.
 * - Contexts: 200,000 users with random 32-hex keys, names, e-mails, a country (weighted), an app version (a few
 *   live ones), a plan and two custom attributes; 40% of contexts are multi-kind with one of 5,000 organizations,
 *   and client-side ones add a device.
 * - Server-side SDKs (70% of payloads) flush every few seconds: one summary of 10 to 60 flags with one to three
 *   counters each, index events for contexts new to the process (0 to 15), a few custom events with metric values,
 *   and full feature events only for the 3% of evaluations of flags that track events.
 * - Client-side SDKs (30%) send one context's summary of 5 to 30 flags, an identify now and then, page views and
 *   clicks as custom events with URLs, and feature events for tracked flags.
 * - Contexts, by default, are drawn afresh for each event, as a producer's record sees them among the many live at
 *   once. With `sessions`, they come as over time on one shard: a context is active in a session of 5 to 45
 *   minutes (uniformly), in which its client-side SDK posts a payload about every 30 seconds (LaunchDarkly's mobile
 *   SDKs flush every 30 s by default) and server-side events name it as often as any other live context's; a
 *   session's context is drawn by the same popularity, so some come back. So many sessions are live that client
 *   payloads arrive at the corpus's rate, and the clock runs at `payloadsPerSecond`.
 */

const FLAG_COUNT = 5_000;
const CONTEXT_COUNT = 200_000;
const ORGANIZATION_COUNT = 5_000;
const ZIPF_EXPONENT = 1.1;
const SERVER_SHARE = 0.7;
const CLIENT_FLUSH_SECONDS = 30;
const SESSION_MINUTES = { shortest: 5, longest: 45 };

export interface SessionModel {
  /** The payloads a second the modelled traffic carries: the corpus's clock runs at this rate. */
  readonly payloadsPerSecond: number;
}

interface Session {
  readonly contextId: number;
  readonly endsAtMs: number;
}

const WORDS = [
  'checkout',
  'search',
  'billing',
  'onboarding',
  'release',
  'experiment',
  'pricing',
  'dashboard',
  'mobile',
  'api',
  'cache',
  'recommendations',
  'payments',
  'signup',
  'profile',
  'notifications',
  'export',
  'import',
  'beta',
  'legacy',
  'dark-mode',
  'new',
  'v2',
  'v3',
  'redesign',
  'rollout',
  'kill-switch',
  'throttle',
  'banner',
  'promo',
  'cart',
  'sso',
];
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Radia', 'Ken', 'Margaret'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Perlman', 'Thompson'];
const COUNTRIES: readonly [string, number][] = [
  ['US', 40],
  ['DE', 8],
  ['GB', 8],
  ['IN', 7],
  ['BR', 6],
  ['FR', 5],
  ['JP', 5],
  ['CA', 4],
  ['AU', 3],
  ['NL', 2],
];
const APP_VERSIONS = ['5.12.0', '5.12.1', '5.13.0', '5.14.0-beta.2', '4.9.7'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const PAGES = ['/', '/pricing', '/checkout', '/account', '/search', '/docs/getting-started', '/blog'];

/** mulberry32: a small, fast, well-mixed 32-bit generator; the same seed gives the same corpus everywhere. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class EventCorpus {
  private readonly random: () => number;
  private readonly flagKeys: string[];
  private readonly zipfCumulative: Float64Array;
  private readonly countryCumulative: number[];
  private clock = 1_795_000_000_000;
  private readonly sessions: Session[] = [];

  /**
   * `now`, when given, dates each payload (a load offered to a running pipeline must look current); the draws stay
   * the seed's. `sessions` draws contexts from live sessions instead of afresh.
   */
  constructor(
    seed = 1,
    private readonly now?: () => number,
    private readonly sessionModel?: SessionModel,
  ) {
    this.random = generator(seed);
    const keys = new Set<string>();
    while (keys.size < FLAG_COUNT) {
      const words = Array.from({ length: 2 + this.integer(3) }, () => this.pick(WORDS));
      keys.add(words.join('-') + (this.random() < 0.3 ? `-${this.integer(100)}` : ''));
    }
    this.flagKeys = [...keys];
    this.zipfCumulative = new Float64Array(FLAG_COUNT);
    let total = 0;
    for (let rank = 0; rank < FLAG_COUNT; rank++) this.zipfCumulative[rank] = total += 1 / (rank + 1) ** ZIPF_EXPONENT;
    for (let rank = 0; rank < FLAG_COUNT; rank++) this.zipfCumulative[rank] = this.zipfCumulative[rank]! / total;
    let weights = 0;
    this.countryCumulative = COUNTRIES.map(([, weight]) => (weights += weight));
    if (sessionModel) {
      const live = Math.max(1, Math.round((1 - SERVER_SHARE) * sessionModel.payloadsPerSecond * CLIENT_FLUSH_SECONDS));
      // Sessions already under way, part of their length left, so the corpus starts in its steady state.
      for (let i = 0; i < live; i++) this.sessions.push(this.newSession(this.random()));
    }
  }

  /** The modelled time of the last payload. */
  get clockMs(): number {
    return this.clock;
  }

  /** The next payload, as its SDK would post it, and whether a server-side or a client-side SDK sent it. */
  payload(): { side: 'server' | 'client'; events: Record<string, unknown>[] } {
    this.clock += this.sessionModel
      ? Math.round(-Math.log(1 - this.random()) * (1_000 / this.sessionModel.payloadsPerSecond))
      : 1 + this.integer(400);
    if (this.now) this.clock = this.now();
    return this.random() < SERVER_SHARE
      ? { side: 'server', events: this.serverPayload() }
      : { side: 'client', events: this.clientPayload() };
  }

  private serverPayload(): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    for (let i = this.integer(16); i > 0; i--) {
      events.push({ kind: 'index', creationDate: this.clock, context: this.context(false) });
    }
    const flags = this.flagsOf(10 + this.integer(51));
    for (const flag of flags.filter(() => this.random() < 0.03))
      events.push(this.featureEvent(flag, this.context(false)));
    for (let i = this.integer(4); i > 0; i--) {
      events.push({
        kind: 'custom',
        creationDate: this.clock,
        key: this.pick(['purchase-completed', 'latency-ms', 'search-performed', 'error-rate']),
        context: this.context(false),
        metricValue: Math.round(this.random() * 50_000) / 100,
      });
    }
    events.push(this.summary(flags));
    return events;
  }

  private clientPayload(): Record<string, unknown>[] {
    const context = this.context(true);
    const events: Record<string, unknown>[] = [];
    if (this.random() < 0.3) events.push({ kind: 'identify', creationDate: this.clock, context });
    for (let i = 1 + this.integer(4); i > 0; i--) {
      const page = this.pick(PAGES);
      events.push({
        kind: 'custom',
        creationDate: this.clock,
        key: this.random() < 0.6 ? 'pageview' : `click-${this.pick(WORDS)}`,
        url: `https://app.example.com${page}`,
        context,
      });
    }
    const flags = this.flagsOf(5 + this.integer(26));
    for (const flag of flags.filter(() => this.random() < 0.03)) events.push(this.featureEvent(flag, context));
    events.push({ ...this.summary(flags), context });
    return events;
  }

  private summary(flags: string[]): Record<string, unknown> {
    const features = Object.fromEntries(
      flags.map((key) => {
        const boolean = this.flagIndex(key) % 3 !== 0;
        const version = 1 + (this.flagIndex(key) % 300);
        const counters = Array.from({ length: 1 + this.integer(3) }, (_, variation) => ({
          value: boolean ? variation === 1 : ['control', 'treatment-a', 'treatment-b'][variation],
          variation,
          version,
          count: 1 + Math.floor(1 / (this.random() + 0.0002)),
        }));
        return [key, { default: boolean ? false : 'control', contextKinds: ['user'], counters }];
      }),
    );
    return { kind: 'summary', startDate: this.clock - 5_000, endDate: this.clock, features };
  }

  private featureEvent(key: string, context: Record<string, unknown>): Record<string, unknown> {
    const variation = this.integer(2);
    return {
      kind: 'feature',
      creationDate: this.clock,
      key,
      version: 1 + (this.flagIndex(key) % 300),
      variation,
      value: variation === 1,
      default: false,
      reason: { kind: this.pick(['RULE_MATCH', 'FALLTHROUGH', 'TARGET_MATCH']), ruleIndex: 0 },
      context,
    };
  }

  private newSession(fractionLeft = 1): Session {
    const minutes = SESSION_MINUTES.shortest + this.random() * (SESSION_MINUTES.longest - SESSION_MINUTES.shortest);
    return { contextId: this.zipfRank(CONTEXT_COUNT), endsAtMs: this.clock + fractionLeft * minutes * 60_000 };
  }

  /** A context by popularity, or a live session's, starting a new session in place of one that has ended. */
  private contextId(): number {
    if (!this.sessionModel) return this.zipfRank(CONTEXT_COUNT);
    const slot = this.integer(this.sessions.length);
    if (this.sessions[slot]!.endsAtMs <= this.clock) this.sessions[slot] = this.newSession();
    return this.sessions[slot]!.contextId;
  }

  private context(client: boolean): Record<string, unknown> {
    const id = this.contextId();
    const user = {
      key: this.hex(id, 32),
      name: `${FIRST_NAMES[id % FIRST_NAMES.length]} ${LAST_NAMES[(id >> 4) % LAST_NAMES.length]}`,
      email: `user${id}@${['gmail.com', 'example.com', 'outlook.com', 'acme.io'][id % 4]}`,
      country: this.country(id),
      appVersion: APP_VERSIONS[id % APP_VERSIONS.length],
      plan: PLANS[(id >> 2) % PLANS.length],
      signupDate: 1_600_000_000_000 + (id % 100_000) * 86_400_000,
      beta: id % 11 === 0,
    };
    if (id % 10 >= 4) return { kind: 'user', ...user };
    const organization = { key: `org-${this.hex(id % ORGANIZATION_COUNT, 12)}`, tier: PLANS[id % PLANS.length] };
    const device = client ? { device: { key: this.hex(id * 7 + 1, 16), os: ['iOS 18.1', 'Android 15'][id % 2] } } : {};
    return { kind: 'multi', user, organization, ...device };
  }

  /** Distinct flags drawn by popularity. */
  private flagsOf(count: number): string[] {
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(this.flagKeys[this.zipfFlag()]!);
    return [...chosen];
  }

  private zipfFlag(): number {
    const target = this.random();
    let low = 0;
    let high = FLAG_COUNT - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.zipfCumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A rank in [0, n) with a Zipf-like tail (a few contexts are very active), cheap for large n. */
  private zipfRank(n: number): number {
    return Math.min(n - 1, Math.floor(n * this.random() ** 3));
  }

  private flagIndex(key: string): number {
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) >>> 0;
    return hash;
  }

  private country(id: number): string {
    const total = this.countryCumulative.at(-1)!;
    const target = (Math.imul(id, 2654435761) >>> 0) % total;
    return COUNTRIES[this.countryCumulative.findIndex((cumulative) => target < cumulative)]![0];
  }

  /** A stable hex id of `length` characters for a number: the same context always has the same key. */
  private hex(id: number, length: number): string {
    const mixed = generator(id + 0x9e3779b9);
    return Array.from({ length }, () => Math.floor(mixed() * 16).toString(16)).join('');
  }

  private integer(below: number): number {
    return Math.floor(this.random() * below);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.integer(items.length)]!;
  }
}
