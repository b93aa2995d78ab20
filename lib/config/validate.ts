import { lastSeenResolutionProblem } from '../../lambdas/contexts-indexer/context-updates';
import { eventRecordBytes, INVOCATION_PAYLOAD_BYTES } from '../../lambdas/shared/kinesis-batch';
import { environmentStreamPlan, PUT_PAYLOAD_UNIT_BYTES } from '../planning/capacity';
import { contextsDomainVcpus, contextsStoreCoresAtPeak, MEASURED_CONSUMERS } from '../planning/consumer-figures';
import { fleetEventsPerSecondAtTarget, requestsPerInstanceAtTarget, vcpusOf } from '../planning/fleet';
import { ConsumerSettings, EnvironmentConfig, ReplaySettings } from './environment-config';

function range(errors: string[], field: string, value: number, minimum: number, maximum: number): void {
  if (!Number.isFinite(value) || value < minimum || value > maximum) {
    errors.push(`${field} must be from ${minimum} to ${maximum}, got ${value}`);
  }
}

/** Outside dev the account and the image are pinned, and the certificate lives where the load balancer is. */
function validateDeployTarget(errors: string[], at: (field: string) => string, config: EnvironmentConfig): void {
  if (config.account !== undefined && !/^\d{12}$/.test(config.account))
    errors.push(`${at('account')} must be a 12-digit account id, got ${JSON.stringify(config.account)}`);
  if (config.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail))
    errors.push(`${at('alarmEmail')} must be an email address, got ${JSON.stringify(config.alarmEmail)}`);
  if (config.fleet.amiId !== undefined && !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(config.fleet.amiId))
    errors.push(
      `${at('fleet.amiId')} must be an image id like ami-0123456789abcdef0, got ${JSON.stringify(config.fleet.amiId)}`,
    );
  if (!config.allowPlainHttp) {
    const pinned = { account: config.account, 'fleet.amiId': config.fleet.amiId, alarmEmail: config.alarmEmail };
    for (const [field, value] of Object.entries(pinned)) {
      if (value === undefined) errors.push(`${at(field)} is required unless allowPlainHttp (dev): pin it`);
    }
  }
  const certificate =
    config.domain && /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/.+$/.exec(config.domain.certificateArn);
  if (config.domain && !certificate) {
    errors.push(
      `${at('domain.certificateArn')} must be an ACM certificate ARN, got ${JSON.stringify(config.domain.certificateArn)}`,
    );
  } else if (
    certificate &&
    (certificate[1] !== config.region || (config.account && certificate[2] !== config.account))
  ) {
    errors.push(
      `${at('domain.certificateArn')} must be in ${config.region}${config.account ? ` and account ${config.account}` : ''}, where the load balancer is; got ${config.domain.certificateArn}`,
    );
  }
}

/** The scaling target must be reachable before the CPU saturates, and the largest fleet must carry the peak. */
function validateFleetSize(errors: string[], at: (field: string) => string, config: EnvironmentConfig): void {
  const { instanceType, requestsPerTarget, maxCapacity } = config.fleet;
  try {
    vcpusOf(instanceType);
  } catch (error) {
    errors.push(`${at('fleet.instanceType')}: ${(error as Error).message}`);
    return;
  }
  const perInstance = requestsPerInstanceAtTarget(instanceType);
  if (requestsPerTarget > perInstance) {
    errors.push(
      `${at('fleet.requestsPerTarget')} must be at most ${perInstance} for ${instanceType} (what its cores serve at the CPU target, lib/planning/fleet.ts), got ${requestsPerTarget}`,
    );
  }
  const peak = config.load.peakEventsPerSecond * config.load.headroom;
  if (fleetEventsPerSecondAtTarget(instanceType, maxCapacity) < peak) {
    errors.push(
      `${at('fleet.maxCapacity')} of ${maxCapacity} ${instanceType} cannot take the declared peak of ${Math.round(peak)} events/s with headroom`,
    );
  }
}

function validateReplay(
  errors: string[],
  field: string,
  replay: ReplaySettings | undefined,
  retentionHours: number,
  maxRecordAgeSeconds = -1,
): void {
  if (!replay) return;
  range(errors, `${field}.replay.generation`, replay.generation, 1, 1_000_000);
  const from = Date.parse(replay.from);
  const requestedAt = Date.parse(replay.requestedAt);
  if (Number.isNaN(from))
    errors.push(`${field}.replay.from must be an ISO-8601 time, got ${JSON.stringify(replay.from)}`);
  if (Number.isNaN(requestedAt)) {
    errors.push(`${field}.replay.requestedAt must be an ISO-8601 time, got ${JSON.stringify(replay.requestedAt)}`);
  }
  if (Number.isNaN(from) || Number.isNaN(requestedAt)) return;
  if (from > requestedAt)
    errors.push(`${field}.replay.from (${replay.from}) is after it was requested (${replay.requestedAt})`);
  if (maxRecordAgeSeconds !== -1 && requestedAt - from > maxRecordAgeSeconds * 1000) {
    errors.push(
      `${field}.replay.from (${replay.from}) is older than ${field}.maxRecordAgeSeconds (${maxRecordAgeSeconds}) allows: the mapping would discard the replay unread; set it to -1`,
    );
  }
  if (requestedAt - from > retentionHours * 3_600_000) {
    errors.push(
      `${field}.replay.from (${replay.from}) is older than the stream's ${retentionHours} h retention at ${replay.requestedAt}`,
    );
  }
}

const MAX_RECORDS_PER_INVOCATION = Math.floor(INVOCATION_PAYLOAD_BYTES / eventRecordBytes(PUT_PAYLOAD_UNIT_BYTES));

function validateConsumer(
  errors: string[],
  field: string,
  settings: ConsumerSettings,
  retentionHours: number,
  shards: number,
): void {
  range(errors, `${field}.batchSize`, settings.batchSize, 1, 10_000);
  range(errors, `${field}.batchingWindowSeconds`, settings.batchingWindowSeconds, 0, 300);
  range(errors, `${field}.parallelizationFactor`, settings.parallelizationFactor, 1, 10);
  if (settings.batchSize > MAX_RECORDS_PER_INVOCATION) {
    errors.push(
      `${field}.batchSize ${settings.batchSize} cannot take effect: at ${PUT_PAYLOAD_UNIT_BYTES}-byte records Lambda's 6 MB invocation payload holds ${MAX_RECORDS_PER_INVOCATION}; set at most that`,
    );
  }
  // While a replay deploys, the old and the new generation each read every shard.
  const needed = shards * settings.parallelizationFactor * 2;
  if (settings.reservedConcurrency < needed) {
    errors.push(
      `${field}.reservedConcurrency ${settings.reservedConcurrency} is below the ${needed} the stream needs: ${shards} shards × parallelization factor ${settings.parallelizationFactor} × 2 generations during a replay; shards without an invocation fall behind until the retention deletes their records`,
    );
  }
  if (settings.maxRetryAttempts !== -1)
    range(errors, `${field}.maxRetryAttempts`, settings.maxRetryAttempts, 0, 10_000);
  if (settings.maxRecordAgeSeconds !== -1) {
    range(
      errors,
      `${field}.maxRecordAgeSeconds`,
      settings.maxRecordAgeSeconds,
      60,
      Math.min(604_800, retentionHours * 3600),
    );
  }
  range(errors, `${field}.reservedConcurrency`, settings.reservedConcurrency, 1, 1_000);
  range(errors, `${field}.memoryMb`, settings.memoryMb, 128, 10_240);
  range(errors, `${field}.timeoutSeconds`, settings.timeoutSeconds, 3, 900);
  validateReplay(errors, field, settings.replay, retentionHours, settings.maxRecordAgeSeconds);
}

/** Checks a config once, at synth, and names every field that is out of range. */
export function validateEnvironmentConfig(config: EnvironmentConfig): EnvironmentConfig {
  const errors: string[] = [];
  const at = (field: string) => `${config.name}.${field}`;
  if (!/^[a-z][a-z0-9-]{1,20}$/.test(config.name))
    errors.push(`name must be lower-case letters, digits and dashes, got ${JSON.stringify(config.name)}`);
  range(errors, at('availabilityZoneIds.length'), config.availabilityZoneIds.length, 2, 6);
  for (const id of config.availabilityZoneIds) {
    if (!/^[a-z]{2,4}[0-9]-az[0-9]{1,2}$/.test(id))
      errors.push(`${at('availabilityZoneIds')} must hold AZ IDs like use1-az1, got ${JSON.stringify(id)}`);
  }
  if (new Set(config.availabilityZoneIds).size !== config.availabilityZoneIds.length)
    errors.push(`${at('availabilityZoneIds')} names a zone twice: ${config.availabilityZoneIds.join(', ')}`);
  range(errors, at('load.peakEventsPerSecond'), config.load.peakEventsPerSecond, 1, 1e8);
  range(errors, at('load.eventBytes'), config.load.eventBytes, 1, 24_000);
  range(errors, at('load.headroom'), config.load.headroom, 1, 10);
  range(errors, at('stream.retentionHours'), config.stream.retentionHours, 24, 168);
  if (!config.domain && !config.allowPlainHttp)
    errors.push(`${at('domain')} is required unless allowPlainHttp is set (dev only)`);
  if (config.allowPlainHttp && config.name !== 'dev') errors.push(`${at('allowPlainHttp')} is allowed in dev only`);
  range(errors, at('fleet.minCapacity'), config.fleet.minCapacity, 1, config.fleet.maxCapacity);
  range(errors, at('fleet.drainDeadlineSeconds'), config.fleet.drainDeadlineSeconds, 5, 300);
  validateFleetSize(errors, at, config);
  validateDeployTarget(errors, at, config);
  if (config.firewall) {
    range(errors, at('firewall.requestsPerIpPer5Minutes'), config.firewall.requestsPerIpPer5Minutes, 10, 2e9);
  }
  if (
    config.openSearch.zoneAwareness &&
    config.openSearch.dataNodes % 2 !== 0 &&
    config.openSearch.dataNodes % 3 !== 0
  ) {
    errors.push(`${at('openSearch.dataNodes')} must be a multiple of the zones used for zone awareness`);
  }
  const primaries = config.openSearch.contextsPrimaryShards;
  if (!Number.isInteger(primaries) || primaries < 1 || primaries % config.openSearch.dataNodes !== 0)
    errors.push(
      `${at('openSearch.contextsPrimaryShards')} must be a multiple of the ${config.openSearch.dataNodes} data nodes, so each holds as many primaries; got ${primaries}`,
    );
  const storeCores = contextsStoreCoresAtPeak(config);
  if (contextsDomainVcpus(config) < storeCores)
    errors.push(
      `${at('openSearch.dataNodeInstanceType')}: ${config.openSearch.dataNodes} × ${config.openSearch.dataNodeInstanceType} give ${contextsDomainVcpus(config)} vCPUs, under the ${storeCores.toFixed(1)} the contexts store spends at the declared peak with headroom (${MEASURED_CONSUMERS.contextsStoreCpuMsPerEvent} ms an event, npm run bench -- consumers)`,
    );
  const resolutionProblem = lastSeenResolutionProblem(config.openSearch.lastSeenResolutionMinutes);
  if (resolutionProblem) errors.push(`${at('openSearch.lastSeenResolutionMinutes')} ${resolutionProblem}`);
  if (config.redis.multiAz && config.redis.replicas < 1)
    errors.push(`${at('redis.replicas')} must be at least 1 for multiAz`);
  range(errors, at('archive.bufferMb'), config.archive.bufferMb, 1, 128);
  range(errors, at('archive.bufferSeconds'), config.archive.bufferSeconds, 0, 900);
  // Athena takes a per-query limit from 10 MB.
  range(errors, at('archive.queryScanLimitGb'), config.archive.queryScanLimitGb, 0.01, 1e6);
  range(errors, at('archive.queryResultsDays'), config.archive.queryResultsDays, 1, 365);
  // Sized from the stream only once the load and retention it is planned from are valid themselves.
  const shards = errors.length === 0 ? environmentStreamPlan(config).shards.provisioned : 0;
  for (const [name, settings] of Object.entries(config.consumers)) {
    validateConsumer(errors, at(`consumers.${name}`), settings, config.stream.retentionHours, shards);
  }
  range(errors, at('analytics.exposedUnits'), config.analytics.exposedUnits, 0, 1e10);
  if (!['TRIM_HORIZON', 'LATEST'].includes(config.analytics.firstStart))
    errors.push(
      `${at('analytics.firstStart')} must be TRIM_HORIZON or LATEST, got ${JSON.stringify(config.analytics.firstStart)}`,
    );
  validateReplay(errors, at('analytics'), config.analytics.replay, config.stream.retentionHours);
  if (errors.length > 0) throw new Error(`invalid environment config:\n  ${errors.join('\n  ')}`);
  return config;
}
