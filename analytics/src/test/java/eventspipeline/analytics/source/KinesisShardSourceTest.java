package eventspipeline.analytics.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eventspipeline.analytics.support.Collected;
import eventspipeline.analytics.support.Kinesalite;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

class KinesisShardSourceTest {
  private static Kinesalite kinesalite;

  @BeforeAll
  static void startKinesis() throws Exception {
    kinesalite = Kinesalite.start();
  }

  @AfterAll
  static void stopKinesis() throws Exception {
    kinesalite.close();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 60 s: " + what);
      Thread.sleep(100);
    }
  }

  private static JobClient readInto(String stream, StartingPosition start, Collected<ShardRecord> sink) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.fromSource(new KinesisShardSource(kinesalite.settings(stream), start), WatermarkStrategy.noWatermarks(), "kinesis")
        .sinkTo(sink);
    return env.executeAsync(stream);
  }

  private static String text(ShardRecord record) {
    return new String(record.data(), StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryRecordOnceAndAShardsChildrenOnlyAfterTheParentAcrossASplit() throws Exception {
    // given: one shard with records of ten keys
    String stream = "resharding";
    kinesalite.createStream(stream, 1);
    Collected<ShardRecord> read = new Collected<>(stream);
    List<String> written = new ArrayList<>();
    try (KinesisClient kinesis = kinesalite.client()) {
      for (int i = 0; i < 60; i++) {
        String record = "key-" + (i % 10) + "/" + i;
        Kinesalite.put(kinesis, stream, "key-" + (i % 10), record.getBytes(StandardCharsets.UTF_8));
        written.add(record);
      }
      JobClient job = readInto(stream, StartingPosition.trimHorizon(), read);
      try {
        await(() -> read.values().size() >= 60, "the first 60 records read");

        // when: the shard is split in two, and the same keys written on
        Shard parent = kinesalite.shards(stream).get(0);
        BigInteger middle = new BigInteger(parent.hashKeyRange().endingHashKey()).shiftRight(1);
        kinesis.splitShard(request -> request.streamName(stream).shardToSplit(parent.shardId())
            .newStartingHashKey(middle.toString()));
        await(() -> kinesalite.shards(stream).size() == 3, "the split");
        for (int i = 60; i < 120; i++) {
          String record = "key-" + (i % 10) + "/" + i;
          Kinesalite.put(kinesis, stream, "key-" + (i % 10), record.getBytes(StandardCharsets.UTF_8));
          written.add(record);
        }
        await(() -> read.values().size() >= 120, "all 120 records read");
        Thread.sleep(1_000);
      } finally {
        job.cancel().get();
      }
    }

    // then: each record once, and each key's records in the order they were written
    List<String> texts = read.values().stream().map(KinesisShardSourceTest::text).toList();
    assertEquals(written.stream().sorted().toList(), texts.stream().sorted().toList());
    Map<String, List<Integer>> orderByKey = new HashMap<>();
    for (String text : texts) {
      orderByKey.computeIfAbsent(text.split("/")[0], k -> new ArrayList<>()).add(Integer.parseInt(text.split("/")[1]));
    }
    orderByKey.forEach((key, order) -> assertEquals(order.stream().sorted().toList(), order, key));
    assertTrue(read.values().stream().map(ShardRecord::shardId).distinct().count() >= 2, "children were read");
  }

  @Test
  void startsAtLatestOrAtAPastTime() throws Exception {
    // given: records before and after a point in time
    String stream = "positions";
    kinesalite.createStream(stream, 2);
    long between;
    try (KinesisClient kinesis = kinesalite.client()) {
      for (int i = 0; i < 10; i++) Kinesalite.put(kinesis, stream, "k" + i, ("old-" + i).getBytes(StandardCharsets.UTF_8));
      Thread.sleep(1_100);
      between = System.currentTimeMillis();
      Thread.sleep(1_100);
      for (int i = 0; i < 10; i++) Kinesalite.put(kinesis, stream, "k" + i, ("new-" + i).getBytes(StandardCharsets.UTF_8));

      // when
      Collected<ShardRecord> fromTime = new Collected<>("from-time");
      Collected<ShardRecord> fromLatest = new Collected<>("from-latest");
      JobClient replay = readInto(stream, StartingPosition.atTimestamp(between), fromTime);
      JobClient latest = readInto(stream, StartingPosition.latest(), fromLatest);
      try {
        await(() -> fromTime.values().size() >= 10, "the records after the time");
        // LATEST starts at the end: only what is written once its iterators exist
        Thread.sleep(3_000);
        for (int i = 0; i < 5; i++) Kinesalite.put(kinesis, stream, "k" + i, ("newest-" + i).getBytes(StandardCharsets.UTF_8));
        await(() -> fromLatest.values().size() >= 5, "the newest records");
        Thread.sleep(1_000);
      } finally {
        replay.cancel().get();
        latest.cancel().get();
      }

      // then
      assertTrue(fromTime.values().stream().map(KinesisShardSourceTest::text).noneMatch(text -> text.startsWith("old-")));
      assertEquals(15, fromTime.values().size());
      assertEquals(
          List.of("newest-0", "newest-1", "newest-2", "newest-3", "newest-4"),
          fromLatest.values().stream().map(KinesisShardSourceTest::text).sorted().toList());
    }
  }
}
