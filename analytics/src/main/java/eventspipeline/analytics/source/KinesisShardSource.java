package eventspipeline.analytics.source;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The job's own position in a Kinesis stream, on Flink's source API with the AWS SDK for Java v2: shards found by
 * ListShards and read with GetRecords by stream name (as kinesalite requires), each shard's position in Flink's
 * checkpoints, children only after their parents.
 */
public final class KinesisShardSource implements Source<ShardRecord, ShardSplit, EnumeratorState> {
  private final KinesisSettings settings;
  private final StartingPosition start;

  public KinesisShardSource(KinesisSettings settings, StartingPosition start) {
    this.settings = settings;
    this.start = start;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<ShardRecord, ShardSplit> createReader(SourceReaderContext context) {
    return new KinesisShardSourceReader(settings, new Configuration(), context);
  }

  @Override
  public SplitEnumerator<ShardSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<ShardSplit> context) {
    return new ShardSplitEnumerator(context, settings, start, null);
  }

  @Override
  public SplitEnumerator<ShardSplit, EnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<ShardSplit> context, EnumeratorState state) {
    return new ShardSplitEnumerator(context, settings, start, state);
  }

  @Override
  public SimpleVersionedSerializer<ShardSplit> getSplitSerializer() {
    return new SourceSerializers.Splits();
  }

  @Override
  public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
    return new SourceSerializers.Enumerator();
  }
}
