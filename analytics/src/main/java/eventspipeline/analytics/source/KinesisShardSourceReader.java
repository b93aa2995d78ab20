package eventspipeline.analytics.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * Hands on each record with its arrival time as its timestamp, keeps each shard's position for checkpoints, and
 * tells the enumerator which shards are read to their end. A shard finished since the last completed checkpoint
 * stays in the checkpoint, marked finished, so a restore cannot lose the news before the enumerator has it.
 */
final class KinesisShardSourceReader
    extends SingleThreadMultiplexSourceReaderBase<ShardRecord, ShardRecord, ShardSplit, ShardSplitState> {
  /** Shards finished, by the checkpoint after which they were: kept in snapshots until one completes. */
  private final TreeMap<Long, List<ShardSplit>> finishedSince = new TreeMap<>();
  private final List<ShardSplit> finishedNow = new ArrayList<>();

  KinesisShardSourceReader(KinesisSettings settings, Configuration config, SourceReaderContext context) {
    this(settings, config, context, new ConcurrentHashMap<>());
  }

  private KinesisShardSourceReader(
      KinesisSettings settings, Configuration config, SourceReaderContext context, Map<String, Long> millisBehind) {
    super(
        () -> new ShardSplitReader(settings, millisBehind),
        (record, output, state) -> {
          output.collect(record, record.arrivalMs());
          state.handedOn(record.sequenceNumber());
        },
        config,
        context);
    // Managed Service for Apache Flink publishes the metrics of a group named kinesisanalytics to CloudWatch.
    context.metricGroup().addGroup("kinesisanalytics").gauge("millisBehindLatest", (Gauge<Long>) () ->
        millisBehind.values().stream().mapToLong(Long::longValue).max().orElse(0L));
  }

  @Override
  protected void onSplitFinished(Map<String, ShardSplitState> finished) {
    finished.values().forEach(state -> finishedNow.add(state.toSplit().asFinished()));
    context.sendSourceEventToCoordinator(new ShardsFinished(finished.keySet()));
  }

  @Override
  public List<ShardSplit> snapshotState(long checkpointId) {
    if (!finishedNow.isEmpty()) {
      finishedSince.put(checkpointId, new ArrayList<>(finishedNow));
      finishedNow.clear();
    }
    List<ShardSplit> splits = new ArrayList<>(super.snapshotState(checkpointId));
    finishedSince.values().forEach(splits::addAll);
    return splits;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    finishedSince.headMap(checkpointId, true).clear();
    super.notifyCheckpointComplete(checkpointId);
  }

  @Override
  protected ShardSplitState initializedState(ShardSplit split) {
    return new ShardSplitState(split);
  }

  @Override
  protected ShardSplit toSplitType(String splitId, ShardSplitState state) {
    return state.toSplit();
  }
}
