import { ConsumerName, EnvironmentConfig, ReplaySettings } from '../config/environment-config';
import type { ReplayFile, ReplayTarget } from '../config/environments';

export const CONSUMERS: Record<string, { readonly config: ConsumerName; readonly stack: string }> = {
  'contexts-indexer': { config: 'contextsIndexer', stack: 'ContextsIndexer' },
  'flag-status': { config: 'flagStatus', stack: 'FlagStatus' },
};

/** What `npm run replay` rebuilds: each consumer's store, and the experiment job's figures. */
export const REPLAY_TARGETS: Record<string, { readonly config: ReplayTarget; readonly stack: string }> = {
  ...CONSUMERS,
  experiments: { config: 'analytics', stack: 'Analytics' },
};

const RELATIVE = /^-?(\d+(?:\.\d+)?)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Reads `--from`: an ISO-8601 time, or a time back from now: 2h, 30m, 1d (or -2h, written `--from=-2h`). */
export function parseFrom(from: string, nowMs: number): Date {
  const relative = RELATIVE.exec(from);
  if (relative) return new Date(nowMs - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  const parsed = Date.parse(from);
  if (Number.isNaN(parsed))
    throw new Error(`--from must be an ISO-8601 time or a time back from now like -2h, got ${JSON.stringify(from)}`);
  return new Date(parsed);
}

export interface ReplayPlan {
  readonly environment: string;
  readonly consumer: string;
  readonly settings: ReplaySettings;
  readonly file: ReplayFile;
  readonly deployCommand: string;
}

/**
 * Checks a replay against the stream's retention and the clock, and gives the replay file with the consumer's next
 * generation. The same check runs again at synth (lib/config/validate.ts), against the recorded request time.
 */
export function planReplay(
  config: EnvironmentConfig,
  consumer: string,
  from: Date,
  nowMs: number,
  file: ReplayFile,
): ReplayPlan {
  const target = REPLAY_TARGETS[consumer];
  if (!target)
    throw new Error(
      `--consumer must be one of ${Object.keys(REPLAY_TARGETS).join(', ')}, got ${JSON.stringify(consumer)}`,
    );
  if (from.getTime() > nowMs) throw new Error(`--from ${from.toISOString()} is in the future`);
  const oldest = nowMs - config.stream.retentionHours * 3_600_000;
  if (from.getTime() < oldest) {
    throw new Error(
      `--from ${from.toISOString()} is older than the stream's ${config.stream.retentionHours} h retention: the oldest record is at or after ${new Date(oldest).toISOString()}`,
    );
  }
  const previous = file[config.name]?.[target.config]?.generation ?? 0;
  const settings: ReplaySettings = {
    from: from.toISOString(),
    requestedAt: new Date(nowMs).toISOString(),
    generation: previous + 1,
  };
  return {
    environment: config.name,
    consumer,
    settings,
    file: { ...file, [config.name]: { ...file[config.name], [target.config]: settings } },
    deployCommand: `npx cdk deploy '${config.name}/${target.stack}' --exclusively --no-notices`,
  };
}
