package eventspipeline.analytics.source;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The job's source with its checkpointed positions switched off: a restored shard is read again from its start.
 * The failure test runs it to show that it would catch a source that loses its place.
 */
public final class ForgetfulSource implements Source<ShardRecord, ShardSplit, EnumeratorState> {
  private final KinesisShardSource source;

  public ForgetfulSource(KinesisShardSource source) {
    this.source = source;
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  @Override
  public SourceReader<ShardRecord, ShardSplit> createReader(SourceReaderContext context) {
    return source.createReader(context);
  }

  @Override
  public SplitEnumerator<ShardSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<ShardSplit> context) {
    return source.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<ShardSplit, EnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<ShardSplit> context, EnumeratorState state) {
    return source.restoreEnumerator(context, state);
  }

  @Override
  public SimpleVersionedSerializer<ShardSplit> getSplitSerializer() {
    SimpleVersionedSerializer<ShardSplit> positions = source.getSplitSerializer();
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return positions.getVersion();
      }

      @Override
      public byte[] serialize(ShardSplit split) throws java.io.IOException {
        return positions.serialize(split);
      }

      @Override
      public ShardSplit deserialize(int version, byte[] serialized) throws java.io.IOException {
        ShardSplit split = positions.deserialize(version, serialized);
        return new ShardSplit(split.shardId(), split.parentShardIds(), StartingPosition.trimHorizon(), null, split.finished());
      }
    };
  }

  @Override
  public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }
}
