import type { EnvironmentConfig } from '../config/environment-config';
import { ARCHIVE_TRANSFORM } from '../archive-layout';
import { FIREWALL_RULE_COUNT } from '../firewall-rules';
import { INTERFACE_ENDPOINTS } from '../interface-endpoints';
import { environmentAnalyticsPlan } from './analytics-plan';
import { environmentStreamPlan, PUT_PAYLOAD_UNIT_BYTES } from './capacity';
import { contextsDomainVcpus } from './consumer-figures';
import { instancesForPeak, vcpusOf } from './fleet';
import { HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';
import { ACCEPTED_FIGURES, MeasuredFigures } from './sizing';

/** A function has one vCPU at 1,769 MB, and CPU in proportion to its memory (docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). */
const LAMBDA_MB_PER_VCPU = 1_769;
/** Lambda polls each shard of a mapping once a second for new records (docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html). */
const POLLS_PER_SHARD_SECOND = 1;
/** Firehose hands the archive transform about 1 MB at a time (the processor buffer the stack sets). */
const TRANSFORM_INVOCATION_BYTES = 1_000_000;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface BillLine {
  readonly component: string;
  /** Dollars a month at the declared peak all month; absent when a price or a figure it needs is missing. */
  readonly monthly?: number;
  readonly perBillionEvents?: number;
  /** How it is reckoned, or what is missing. */
  readonly basis: string;
}

export interface Bill {
  readonly environment: string;
  readonly eventsPerSecond: number;
  readonly billionEventsPerMonth: number;
  readonly lines: BillLine[];
  /** Of the priced lines. */
  readonly monthly: number;
  readonly perBillionEvents: number;
  readonly missing: string[];
  readonly notes: string[];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * What an environment costs a month with its declared peak sustained all month, and per billion events, by
 * component: each sized as its stack is (or, for what scales with load, from the measured rates) and priced from
 * PRICES. A component whose price is missing is listed without a figure, and left out of the totals.
 */
export function environmentBill(config: EnvironmentConfig, figures: MeasuredFigures = ACCEPTED_FIGURES): Bill {
  const eventsPerSecond = config.load.peakEventsPerSecond;
  const eventsPerMonth = eventsPerSecond * SECONDS_PER_MONTH;
  const billionEventsPerMonth = eventsPerMonth / 1e9;
  const stream = environmentStreamPlan({
    ...config,
    load: { ...config.load, eventBytes: figures.eventBytes.eventBytes },
  });
  const shards = stream.shards.provisioned;
  const recordGbPerMonth = (stream.writeBytesPerSecond * SECONDS_PER_MONTH) / 1e9;
  const requestsPerMonth = eventsPerMonth / figures.producer.eventsPerPayload;
  const lines: BillLine[] = [];
  const priced = (component: string, monthly: number, basis: string) =>
    lines.push({
      component,
      monthly: round(monthly),
      perBillionEvents: round(monthly / billionEventsPerMonth, 3),
      basis,
    });
  const missing = (component: string, basis: string) => lines.push({ component, basis });

  const { instanceType, minCapacity } = config.fleet;
  const instances = Math.max(minCapacity, instancesForPeak(instanceType, eventsPerSecond, figures.producer));
  const instanceHour = PRICES.ec2Hour[instanceType];
  const fleetBasis = `${instances} × ${instanceType} (${vcpusOf(instanceType)} vCPUs at 60% CPU, ${figures.producer.eventsPerCoreSecond.toLocaleString('en-US')} events a core-second)`;
  if (instanceHour === undefined)
    missing('events API fleet (EC2)', `${fleetBasis}: no public price for ${instanceType}`);
  else priced('events API fleet (EC2)', instances * instanceHour * HOURS_PER_MONTH, fleetBasis);

  // SDK bodies only: headers and answers are not measured, so this is the least the load balancer processes.
  const processedGbPerHour = (eventsPerSecond * figures.producer.jsonBytesPerEvent * 3600) / 1e9;
  priced(
    'load balancer',
    (PRICES.loadBalancer.albHour +
      (processedGbPerHour / PRICES.loadBalancer.processedGbPerLcuHour) * PRICES.loadBalancer.lcuHour) *
      HOURS_PER_MONTH,
    `1 ALB + ${round(processedGbPerHour, 1)} LCUs by processed bytes (${figures.producer.jsonBytesPerEvent} B of JSON an event)`,
  );

  if (config.firewall)
    priced(
      'firewall (WAF)',
      PRICES.waf.webAclMonth +
        FIREWALL_RULE_COUNT * PRICES.waf.ruleMonth +
        (requestsPerMonth / 1e6) * PRICES.waf.requestsPerMillion,
      `${round(requestsPerMonth / 1e9, 1)} billion requests (${figures.producer.eventsPerPayload} events each) + ACL and ${FIREWALL_RULE_COUNT} rules`,
    );

  priced(
    'stream (Kinesis)',
    stream.monthlyCost.provisionedBatched,
    `${shards} shards for ${stream.input.consumers} polling readers, ${config.stream.retentionHours} h retention, PUT payload units (${figures.eventBytes.eventBytes} B an event, ${config.stream.recordCompression})`,
  );

  // The fleet writes and the experiment job reads through the Kinesis endpoint; the rest reach Kinesis from outside the VPC.
  const zones = config.availabilityZoneIds.length;
  priced(
    'interface endpoints (PrivateLink)',
    INTERFACE_ENDPOINTS.length * zones * PRICES.network.interfaceEndpointAzHour * HOURS_PER_MONTH +
      2 * recordGbPerMonth * PRICES.network.interfaceEndpointPerGb,
    `${INTERFACE_ENDPOINTS.length} endpoints × ${zones} zones + the records written and read by the job`,
  );

  const lambdaMonthly = (memoryMb: number, eventsPerCoreSecond: number, invocations: number) => {
    const seconds = (eventsPerMonth / eventsPerCoreSecond) * Math.max(1, LAMBDA_MB_PER_VCPU / memoryMb);
    return (
      seconds * (memoryMb / 1024) * PRICES.lambda.armGbSecond + (invocations / 1e6) * PRICES.lambda.requestsPerMillion
    );
  };
  const polls = shards * POLLS_PER_SHARD_SECOND * SECONDS_PER_MONTH;
  const { contextsIndexer, flagStatus } = config.consumers;
  priced(
    'contexts-indexer (Lambda)',
    lambdaMonthly(contextsIndexer.memoryMb, figures.consumers.contextsIndexerEventsPerSecond, polls),
    `${figures.consumers.contextsIndexerEventsPerSecond.toLocaleString('en-US')} events a second an invocation, ${contextsIndexer.memoryMb} MB; a poll a shard-second`,
  );
  priced(
    'flag-status (Lambda)',
    lambdaMonthly(flagStatus.memoryMb, figures.consumers.flagStatusEventsPerSecond, polls),
    `${figures.consumers.flagStatusEventsPerSecond.toLocaleString('en-US')} events a second an invocation, ${flagStatus.memoryMb} MB; a poll a shard-second`,
  );
  priced(
    'archive transform (Lambda)',
    lambdaMonthly(
      ARCHIVE_TRANSFORM.memoryMb,
      figures.consumers.archiveTransformEventsPerCoreSecond,
      (recordGbPerMonth * 1e9) / TRANSFORM_INVOCATION_BYTES,
    ),
    `${figures.consumers.archiveTransformEventsPerCoreSecond.toLocaleString('en-US')} events a core-second, ${ARCHIVE_TRANSFORM.memoryMb} MB`,
  );

  const firehoseStep = PRICES.firehose.recordStepBytes;
  const billedRecordShare = (Math.ceil(PUT_PAYLOAD_UNIT_BYTES / firehoseStep) * firehoseStep) / PUT_PAYLOAD_UNIT_BYTES;
  priced(
    'archive delivery (Firehose)',
    recordGbPerMonth * billedRecordShare * PRICES.firehose.ingestedGb,
    `${round(recordGbPerMonth / 1e3, 1)} TB of records a month, billed in ${firehoseStep / 1024} KB steps`,
  );

  const { infrequentAccessAfterDays, expireAfterDays, bufferMb } = config.archive;
  const archivedGbPerDay = (eventsPerSecond * 86_400 * figures.archive.storedBytesPerEvent) / 1e9;
  const standardDays = Math.min(infrequentAccessAfterDays, expireAfterDays);
  const objectsPerMonth = (archivedGbPerDay * DAYS_PER_MONTH * 1e3) / bufferMb;
  priced(
    'archive storage (S3)',
    archivedGbPerDay * standardDays * PRICES.s3.standardGbMonth +
      archivedGbPerDay * (expireAfterDays - standardDays) * PRICES.s3.infrequentAccessGbMonth +
      (objectsPerMonth / 1e3) * PRICES.s3.putsPerThousand,
    `${figures.archive.storedBytesPerEvent} B an event kept ${expireAfterDays} days (Standard-IA after ${standardDays}), once the lifecycle is full`,
  );

  const { dataNodeInstanceType, dataNodes, volumeGb, dedicatedMasters } = config.openSearch;
  const dataHour = PRICES.openSearchHour[dataNodeInstanceType];
  const masterHour = dedicatedMasters ? PRICES.openSearchHour[dedicatedMasters.instanceType] : 0;
  const domainBasis = `${dataNodes} × ${dataNodeInstanceType}${dedicatedMasters ? ` + ${dedicatedMasters.count} × ${dedicatedMasters.instanceType}` : ''}, ${dataNodes} × ${volumeGb} GB`;
  if (dataHour === undefined || masterHour === undefined)
    missing('contexts store (OpenSearch)', `${domainBasis}: no public price for its instances`);
  else
    priced(
      'contexts store (OpenSearch)',
      (dataNodes * dataHour + (dedicatedMasters?.count ?? 0) * masterHour) * HOURS_PER_MONTH +
        dataNodes * volumeGb * PRICES.openSearchStorageGbMonth,
      domainBasis,
    );

  const redisNodes = 1 + config.redis.replicas;
  const nodeHour = PRICES.elastiCacheHour[config.redis.nodeType];
  const redisBasis = `${redisNodes} × ${config.redis.nodeType}`;
  if (nodeHour === undefined) missing('flag-status store (ElastiCache)', `${redisBasis}: no public price for it`);
  else priced('flag-status store (ElastiCache)', redisNodes * nodeHour * HOURS_PER_MONTH, redisBasis);

  const analytics = environmentAnalyticsPlan(config, figures.analytics);
  priced(
    'experiment job (Managed Flink)',
    analytics.monthlyTotal,
    `${analytics.billedKpus} KPUs (${analytics.parallelism} + orchestration)`,
  );

  missing(
    'logs (CloudWatch)',
    `$${PRICES.cloudWatchLogs.ingestedGb} a GB ingested, but the bytes logged an invocation and a request are not measured`,
  );

  const pricedLines = lines.filter((line) => line.monthly !== undefined);
  const monthly = pricedLines.reduce((sum, line) => sum + line.monthly!, 0);
  const storeCores = (eventsPerSecond * figures.consumers.contextsStoreCpuMsPerEvent) / 1000;
  return {
    environment: config.name,
    eventsPerSecond,
    billionEventsPerMonth: round(billionEventsPerMonth, 1),
    lines,
    monthly: round(monthly),
    perBillionEvents: round(monthly / billionEventsPerMonth, 2),
    missing: lines.filter((line) => line.monthly === undefined).map((line) => line.component),
    notes: [
      `contexts store: the peak takes ${round(storeCores, 2)} of the domain's ${contextsDomainVcpus(config)} vCPUs (${figures.consumers.contextsStoreCpuMsPerEvent} ms of OpenSearch CPU an event with records spread over prod's shards, at ${figures.consumers.lastSeenResolutionMinutes}-minute last seen)`,
    ],
  };
}
