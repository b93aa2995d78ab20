package eventspipeline.analytics.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Lists the stream's shards every discovery interval and hands each to one reader, chosen by its id so a shard
 * stays with its reader. A shard is handed out only once every parent it has is read to its end (or has left the
 * stream), so a key's records are read in order across a split or a merge.
 */
final class ShardSplitEnumerator implements SplitEnumerator<ShardSplit, EnumeratorState> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardSplitEnumerator.class);

  private final SplitEnumeratorContext<ShardSplit> context;
  private final KinesisSettings settings;
  private final StartingPosition start;
  private final Set<String> assigned;
  private final Set<String> finished;
  /** Splits a failed reader gave back, with the positions of its last checkpoint. */
  private final Map<String, ShardSplit> returned = new HashMap<>();
  /** Shards of the first listing not yet handed out: they take the starting position; later ones are read whole. */
  private final Set<String> atStartingPosition;
  private boolean listedOnce;
  private List<Shard> listing = List.of();
  private KinesisClient kinesis;

  ShardSplitEnumerator(
      SplitEnumeratorContext<ShardSplit> context,
      KinesisSettings settings,
      StartingPosition start,
      EnumeratorState restored) {
    this.context = context;
    this.settings = settings;
    this.start = start;
    this.assigned = new HashSet<>(restored == null ? Set.of() : restored.assigned());
    this.finished = new HashSet<>(restored == null ? Set.of() : restored.finished());
    this.atStartingPosition = new HashSet<>(restored == null ? Set.of() : restored.atStartingPosition());
    this.listedOnce = restored != null;
  }

  @Override
  public void start() {
    kinesis = settings.client();
    context.callAsync(this::listShards, this::onListing, 0, settings.discoveryInterval().toMillis());
  }

  private List<Shard> listShards() {
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = kinesis.listShards(ListShardsRequest.builder().streamName(settings.streamName()).build());
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      page = kinesis.listShards(ListShardsRequest.builder().nextToken(page.nextToken()).build());
      shards.addAll(page.shards());
    }
    return shards;
  }

  private void onListing(List<Shard> shards, Throwable error) {
    if (error != null) {
      // Kinesis may throttle ListShards (100 a second per account): the next discovery tries again.
      LOG.warn("could not list the shards of {}: {}", settings.streamName(), error.toString());
      return;
    }
    listing = shards;
    if (!listedOnce) {
      shards.forEach(shard -> atStartingPosition.add(shard.shardId()));
      listedOnce = true;
    }
    assignReady();
  }

  private void assignReady() {
    Set<String> listed = new HashSet<>();
    for (Shard shard : listing) listed.add(shard.shardId());
    Map<Integer, List<ShardSplit>> byReader = new HashMap<>();
    for (Shard shard : listing) {
      String id = shard.shardId();
      if (assigned.contains(id) || finished.contains(id)) continue;
      List<String> parents = parentsOf(shard);
      boolean parentsDone = parents.stream()
          .allMatch(parent -> finished.contains(parent) || (!listed.contains(parent) && !assigned.contains(parent)));
      if (!parentsDone) continue;
      int reader = readerOf(id);
      if (!context.registeredReaders().containsKey(reader)) continue;
      ShardSplit split = returned.remove(id);
      if (split == null) {
        StartingPosition from = atStartingPosition.contains(id) ? start : StartingPosition.trimHorizon();
        split = new ShardSplit(id, parents, from, null, false);
      }
      byReader.computeIfAbsent(reader, ignored -> new ArrayList<>()).add(split);
      assigned.add(id);
      atStartingPosition.remove(id);
    }
    byReader.forEach((reader, splits) -> splits.forEach(split -> context.assignSplit(split, reader)));
  }

  private static List<String> parentsOf(Shard shard) {
    List<String> parents = new ArrayList<>(2);
    if (shard.parentShardId() != null) parents.add(shard.parentShardId());
    if (shard.adjacentParentShardId() != null) parents.add(shard.adjacentParentShardId());
    return parents;
  }

  private int readerOf(String shardId) {
    return Math.floorMod(shardId.hashCode(), context.currentParallelism());
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {}

  @Override
  public void addSplitsBack(List<ShardSplit> splits, int subtaskId) {
    for (ShardSplit split : splits) {
      assigned.remove(split.shardId());
      returned.put(split.shardId(), split);
    }
  }

  @Override
  public void addReader(int subtaskId) {
    assignReady();
  }

  @Override
  public void handleSourceEvent(int subtaskId, SourceEvent event) {
    if (event instanceof ShardsFinished done) {
      finished.addAll(done.shardIds());
      assigned.removeAll(done.shardIds());
      assignReady();
    }
  }

  @Override
  public EnumeratorState snapshotState(long checkpointId) {
    return new EnumeratorState(assigned, finished, atStartingPosition);
  }

  @Override
  public void close() {
    if (kinesis != null) kinesis.close();
  }
}
