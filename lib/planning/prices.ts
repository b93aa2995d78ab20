/**
 * us-east-1 on-demand list prices, each section with the AWS page that publishes it and where the figure was read
 * (PRICE_SOURCES). A price no public page showed is left out, and the bill shows its component as missing.
 */
export const PRICES = {
  asOf: '2026-12-04',
  region: 'us-east-1',
  kinesis: {
    shardHour: 0.015,
    putPayloadUnitsPerMillion: 0.014,
    extendedRetentionShardHour: 0.02,
    onDemandStreamHour: 0.04,
    onDemandIngestPerGb: 0.08,
    onDemandEgressPerGb: 0.04,
    enhancedFanOutConsumerShardHour: 0.015,
    enhancedFanOutRetrievalPerGb: 0.013,
  },
  managedFlink: {
    kpuHour: 0.11,
    runningStorageGbMonth: 0.1,
    durableBackupGbMonth: 0.023,
  },
  network: {
    natGatewayHour: 0.045,
    natGatewayPerGb: 0.045,
    interfaceEndpointAzHour: 0.01,
    interfaceEndpointPerGb: 0.01,
  },
  lambda: { armGbSecond: 0.0000133334, requestsPerMillion: 0.2 },
  loadBalancer: { albHour: 0.0225, lcuHour: 0.008, processedGbPerLcuHour: 1 },
  waf: { webAclMonth: 5, ruleMonth: 1, requestsPerMillion: 0.6 },
  /** Ingestion from a Kinesis stream, first 500 TB a month; each record billed in 5 KB steps. */
  firehose: { ingestedGb: 0.029, recordStepBytes: 5_120, formatConversionGb: 0.018 },
  athena: { scannedTb: 5 },
  s3: { standardGbMonth: 0.023, infrequentAccessGbMonth: 0.0125, putsPerThousand: 0.005 },
  cloudWatchLogs: { ingestedGb: 0.5, storedGbMonth: 0.03 },
  ec2Hour: { 'c7g.large': 0.0725, 'c7g.xlarge': 0.145 } as Partial<Record<string, number>>,
  openSearchHour: {
    't3.small.search': 0.036,
    'm6g.large.search': 0.128,
    'r6g.large.search': 0.167,
    'r6g.xlarge.search': 0.334,
    'r6g.2xlarge.search': 0.668,
  } as Partial<Record<string, number>>,
  openSearchStorageGbMonth: 0.115,
  elastiCacheHour: {
    'cache.t4g.micro': 0.016,
    'cache.r7g.large': 0.219,
    'cache.r7g.xlarge': 0.437,
  } as Partial<Record<string, number>>,
} as const;

/** Where each section's figures are published, and where they were read for this table. */
export const PRICE_SOURCES: Record<Exclude<keyof typeof PRICES, 'asOf' | 'region'>, string> = {
  kinesis: 'https://aws.amazon.com/kinesis/data-streams/pricing/',
  managedFlink: 'https://aws.amazon.com/managed-service-apache-flink/pricing/',
  network: 'https://aws.amazon.com/privatelink/pricing/ and https://aws.amazon.com/vpc/pricing/',
  lambda:
    'https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s a month; read at cloudchipr.com/blog/aws-lambda-pricing)',
  loadBalancer:
    'https://aws.amazon.com/elasticloadbalancing/pricing/ (read at cloud-horizons.com/blog/alb-the-line-item-nobody-watches, May 2026)',
  waf: 'https://aws.amazon.com/waf/pricing/ (the same in every region; read at c3x.dev/blog/aws-waf-cost-explained)',
  firehose:
    'https://aws.amazon.com/firehose/pricing/ (5 KB steps on the AWS page; $0.029 a GB on published copies of it)',
  athena: 'https://aws.amazon.com/athena/pricing/ (SQL queries, by the data scanned)',
  s3: 'https://aws.amazon.com/s3/pricing/ (first 50 TB a month of S3 Standard)',
  cloudWatchLogs: 'https://aws.amazon.com/cloudwatch/pricing/ (standard log ingestion)',
  ec2Hour: 'https://aws.amazon.com/ec2/pricing/on-demand/ (Linux; read at instances.vantage.sh/aws/ec2)',
  openSearchHour: 'https://aws.amazon.com/opensearch-service/pricing/ (as tabulated by public cost tools, 2025)',
  openSearchStorageGbMonth: 'https://aws.amazon.com/opensearch-service/pricing/ (EBS gp3 storage, same tabulation)',
  elastiCacheHour:
    'https://aws.amazon.com/elasticache/pricing/ (Redis OSS nodes; from the AWS Price List API, October 2026)',
};

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
