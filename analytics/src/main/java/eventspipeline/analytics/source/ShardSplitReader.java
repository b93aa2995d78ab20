package eventspipeline.analytics.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Polls the reader's shards in turn with GetRecords, each shard at most once a poll interval: Kinesis serves 5
 * GetRecords a second per shard, shared by every polling reader, so at one second the job takes one of them whatever
 * the shard holds (a call returns up to 10,000 records, so it still catches up). A throttled call backs off
 * exponentially with jitter; an expired iterator is renewed after the last record handed on.
 */
final class ShardSplitReader implements SplitReader<ShardRecord, ShardSplit> {
  private static final long MAX_BACKOFF_MS = 5_000;
  // GetRecords: at most 10,000 records or 10 MiB a call.
  private static final int MAX_RECORDS_PER_CALL = 10_000;

  private final KinesisSettings settings;
  private final Deque<Reading> readings = new ArrayDeque<>();
  private final Object wake = new Object();
  private KinesisClient kinesis;

  private static final class Reading {
    final ShardSplit split;
    String iterator;
    String afterSequenceNumber;
    long notBeforeMs;
    int throttles;

    Reading(ShardSplit split) {
      this.split = split;
      this.afterSequenceNumber = split.afterSequenceNumber();
    }
  }

  /** How far each shard's last answer was from the tip of the shard, for the reader's millisBehindLatest gauge. */
  private final Map<String, Long> millisBehind;

  ShardSplitReader(KinesisSettings settings, Map<String, Long> millisBehind) {
    this.settings = settings;
    this.millisBehind = millisBehind;
  }

  private KinesisClient kinesis() {
    if (kinesis == null) kinesis = settings.client();
    return kinesis;
  }

  @Override
  public RecordsWithSplitIds<ShardRecord> fetch() {
    RecordsBySplits.Builder<ShardRecord> out = new RecordsBySplits.Builder<>();
    Set<String> finished = new HashSet<>();
    // Splits restored as read to their end: said again, so the enumerator learns of them whatever it had seen.
    readings.removeIf(reading -> {
      if (!reading.split.finished()) return false;
      finished.add(reading.split.shardId());
      return true;
    });
    long now = System.currentTimeMillis();
    Reading next = readings.stream().filter(reading -> reading.notBeforeMs <= now).findFirst().orElse(null);
    if (next == null) {
      if (finished.isEmpty()) pauseUntilADue(now);
      out.addFinishedSplits(finished);
      return out.build();
    }
    readings.remove(next);
    readings.addLast(next);
    try {
      if (next.iterator == null) next.iterator = iteratorFor(next);
      GetRecordsResponse answer = kinesis().getRecords(
          GetRecordsRequest.builder().shardIterator(next.iterator).limit(MAX_RECORDS_PER_CALL).build());
      next.throttles = 0;
      next.notBeforeMs = now + settings.pollInterval().toMillis();
      for (Record record : answer.records()) {
        out.add(next.split.shardId(), new ShardRecord(
            next.split.shardId(),
            record.sequenceNumber(),
            record.approximateArrivalTimestamp().toEpochMilli(),
            record.data().asByteArray()));
        next.afterSequenceNumber = record.sequenceNumber();
      }
      if (answer.millisBehindLatest() != null) millisBehind.put(next.split.shardId(), answer.millisBehindLatest());
      next.iterator = answer.nextShardIterator();
      if (next.iterator == null) {
        readings.remove(next);
        finished.add(next.split.shardId());
      }
    } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException throttled) {
      next.throttles++;
      long backoff = Math.min(MAX_BACKOFF_MS, settings.pollInterval().toMillis() << Math.min(next.throttles, 5));
      next.notBeforeMs = now + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    } catch (ExpiredIteratorException expired) {
      next.iterator = null;
    } catch (ResourceNotFoundException gone) {
      // A shard trimmed past its retention has nothing left to read.
      readings.remove(next);
      finished.add(next.split.shardId());
    }
    finished.forEach(millisBehind::remove);
    out.addFinishedSplits(finished);
    return out.build();
  }

  private String iteratorFor(Reading reading) {
    GetShardIteratorRequest.Builder request =
        GetShardIteratorRequest.builder().streamName(settings.streamName()).shardId(reading.split.shardId());
    if (reading.afterSequenceNumber != null) {
      request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
          .startingSequenceNumber(reading.afterSequenceNumber);
    } else {
      StartingPosition start = reading.split.start();
      switch (start.kind()) {
        case LATEST -> request.shardIteratorType(ShardIteratorType.LATEST);
        case TRIM_HORIZON -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        case AT_TIMESTAMP -> request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
            .timestamp(java.time.Instant.ofEpochMilli(start.timestampMs()));
      }
    }
    return kinesis().getShardIterator(request.build()).shardIterator();
  }

  /** Waits until the soonest shard may be polled again (at most a poll interval, while there are none yet). */
  private void pauseUntilADue(long now) {
    long soonest = readings.stream().mapToLong(reading -> reading.notBeforeMs).min()
        .orElse(now + settings.pollInterval().toMillis());
    synchronized (wake) {
      try {
        wake.wait(Math.max(1, soonest - now));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void handleSplitsChanges(SplitsChange<ShardSplit> changes) {
    if (!(changes instanceof SplitsAddition<ShardSplit> added)) return;
    for (ShardSplit split : added.splits()) readings.add(new Reading(split));
  }

  @Override
  public void wakeUp() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public void close() {
    if (kinesis != null) kinesis.close();
  }
}
