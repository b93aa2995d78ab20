import type { RecordCompression } from '../../codec/event-codec';
export interface ReplaySettings {
  /** Where the consumer starts reading: an ISO-8601 time within the stream's retention when the replay was requested. */
  readonly from: string;
  /** When the replay was requested; `from` must lie within the retention before it. */
  readonly requestedAt: string;
  /** Bumped for every replay; each generation is a new alias and mapping, so a replay deploys in one step. */
  readonly generation: number;
}

export interface ConsumerSettings {
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  /** Concurrent batches per shard (1 to 10); nothing depends on reading a shard in order. */
  readonly parallelizationFactor: number;
  /**
   * Reads through a stream consumer of its own (enhanced fan-out, one per generation): 2 MiB/s per shard that no
   * other reader or replay shares, billed per consumer-shard hour and GB. Without it the stream is given read room
   * for every polling reader and one replay. @default false
   */
  readonly enhancedFanOut?: boolean;
  /**
   * -1 (the default, unlimited) keeps retrying while a store is away: the handlers set aside what can never be
   * applied, so only a store error fails a record, and giving up on it would lose accepted events.
   */
  readonly maxRetryAttempts: number;
  /** -1 (unlimited) lets a replay read back as far as the retention; anything else discards older records unread. */
  readonly maxRecordAgeSeconds: number;
  /** Caps the function's concurrency so it cannot flood its store. */
  readonly reservedConcurrency: number;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly replay?: ReplaySettings;
}

export interface AnalyticsSettings {
  /** Units exposed to running experiments at once, over all experiments: the planner sizes the job's state from it. */
  readonly exposedUnits: number;
  /**
   * Where the job reads at its very first start (afterwards its snapshots hold its position): TRIM_HORIZON counts
   * what the stream still holds of experiments already running.
   */
  readonly firstStart: 'TRIM_HORIZON' | 'LATEST';
  /** A replay is a new generation of the job's state and figures, reading from `from`. */
  readonly replay?: ReplaySettings;
}

export interface EnvironmentConfig {
  readonly name: string;
  /**
   * The account the environment deploys to: CDK refuses credentials of any other, so staging and prod cannot land in
   * whatever account a shell happens to hold. @default the CLI's account (dev only)
   */
  readonly account?: string;
  readonly region: string;
  /**
   * The zones the VPC spans, by AZ ID (use1-az1): an ID is the same zone in every account, while AZ names are mapped
   * to zones per account. List zones where the fleet's and the stores' instance types are all offered
   * (`aws ec2 describe-instance-type-offerings --location-type availability-zone-id`).
   */
  readonly availabilityZoneIds: readonly string[];
  /** Declared peak load; the stream's shard count is computed from it. */
  readonly load: { readonly peakEventsPerSecond: number; readonly eventBytes: number; readonly headroom: number };
  readonly stream: {
    readonly retentionHours: number;
    /** How the events API compresses records; every reader takes each, so a change needs no order. */
    readonly recordCompression: RecordCompression;
  };
  /** HTTPS on the load balancer; without it only plain HTTP, allowed in dev alone. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  readonly allowPlainHttp: boolean;
  /**
   * AWS WAF in front of the load balancer: a per-IP rate limit, and AWS's lists of bad IPs and known-bad inputs.
   * It costs $0.60 per million requests on top of the rules, so it is worth it where the endpoint is public.
   */
  readonly firewall?: { readonly requestsPerIpPer5Minutes: number };
  /** The public load balancer cannot be deleted (by a stack deletion or by hand) until this is turned off. */
  readonly deletionProtection: boolean;
  readonly fleet: {
    readonly instanceType: string;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly requestsPerTarget: number;
    readonly drainDeadlineSeconds: number;
    /**
     * The Amazon Linux 2023 (arm64) image, pinned so a deploy replaces the fleet only when this changes;
     * docs/infrastructure.md says how to roll to a new one. @default the latest, read at every deploy (dev only)
     */
    readonly amiId?: string;
  };
  readonly openSearch: {
    readonly dataNodeInstanceType: string;
    readonly dataNodes: number;
    readonly volumeGb: number;
    readonly dedicatedMasters?: { readonly instanceType: string; readonly count: number };
    readonly zoneAwareness: boolean;
    /**
     * Primary shards of the contexts index, a multiple of the data nodes so each holds as many. An index's primaries
     * are fixed when it is created: a change takes effect at the next replay, which builds a new index and carries
     * every document over.
     */
    readonly contextsPrimaryShards: number;
    /**
     * A context's last seen is kept to the start of a window this long (minutes dividing an hour): a context seen
     * again within its window costs no write. Changed, it applies to what is written from then on; a replay
     * rebuilds the rest.
     */
    readonly lastSeenResolutionMinutes: number;
  };
  readonly redis: { readonly nodeType: string; readonly replicas: number; readonly multiAz: boolean };
  readonly archive: {
    readonly bufferMb: number;
    readonly bufferSeconds: number;
    readonly infrequentAccessAfterDays: number;
    readonly expireAfterDays: number;
    /** Athena cancels a query of the archive once it has scanned this much ($5 a TB scanned). */
    readonly queryScanLimitGb: number;
    /** Query results are kept this long in the workgroup's bucket. */
    readonly queryResultsDays: number;
  };
  readonly consumers: { readonly contextsIndexer: ConsumerSettings; readonly flagStatus: ConsumerSettings };
  /** The experiment job on Managed Service for Apache Flink: one more polling reader of every shard. */
  readonly analytics: AnalyticsSettings;
  /** Stores and buckets survive stack deletion and stacks are termination-protected. */
  readonly retainData: boolean;
  /** Who the alarm topic mails (the first mail asks to confirm); required outside dev, so an alarm reaches someone. */
  readonly alarmEmail?: string;
}

export type ConsumerName = keyof EnvironmentConfig['consumers'];
