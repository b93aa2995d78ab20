package eventspipeline.analytics.source;

/**
 * One Kinesis record as any source of the job hands it on: where it was read, when the stream took it, its bytes.
 * The job depends on this and on Flink's {@code Source} interface only, so the official Kinesis connector, with a
 * deserializer that builds these, can replace {@link KinesisShardSource} where it is available.
 */
public record ShardRecord(String shardId, String sequenceNumber, long arrivalMs, byte[] data) {}
