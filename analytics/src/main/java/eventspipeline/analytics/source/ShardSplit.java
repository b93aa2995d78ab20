package eventspipeline.analytics.source;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One shard, read by one reader. {@code afterSequenceNumber} is the last record handed on (null before the first),
 * so a restore reads on after it; {@code finished} marks a shard read to its end that the enumerator may not know of
 * yet when a checkpoint is taken.
 */
public record ShardSplit(
    String shardId,
    List<String> parentShardIds,
    StartingPosition start,
    String afterSequenceNumber,
    boolean finished)
    implements SourceSplit {

  public ShardSplit {
    parentShardIds = List.copyOf(parentShardIds);
  }

  @Override
  public String splitId() {
    return shardId;
  }

  public ShardSplit readUpTo(String sequenceNumber) {
    return new ShardSplit(shardId, parentShardIds, start, sequenceNumber, finished);
  }

  public ShardSplit asFinished() {
    return new ShardSplit(shardId, parentShardIds, start, afterSequenceNumber, true);
  }
}
