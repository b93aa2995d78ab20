package eventspipeline.analytics.source;

import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;

/** A reader's word to the enumerator that these shards are read to their end: their children may start. */
public record ShardsFinished(Set<String> shardIds) implements SourceEvent {
  public ShardsFinished {
    shardIds = Set.copyOf(shardIds);
  }
}
