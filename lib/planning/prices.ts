/** us-east-1 list prices, as published on the date below; update the date with the figures. */
export const PRICES = {
  asOf: '2026-11-01',
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
  // https://aws.amazon.com/managed-service-apache-flink/pricing/
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
} as const;

export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
