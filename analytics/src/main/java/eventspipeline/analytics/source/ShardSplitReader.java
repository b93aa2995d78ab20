package eventspipeline.analytics.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
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
 * Polls the reader's shards in turn with GetRecords. A shard that answered nothing is polled again after the poll
 * interval (Kinesis serves 5 GetRecords a second per shard, shared by every polling consumer); a throttled call
 * backs off exponentially with jitter; an expired iterator is renewed after the last record handed on.
 */
final class ShardSplitReader implements SplitReader<ShardRecord, ShardSplit> {
  static final long POLL_INTERVAL_MS = 250;
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

  ShardSplitReader(KinesisSettings settings) {
    this.settings = settings;
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
      if (finished.isEmpty()) pause();
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
      for (Record record : answer.records()) {
        out.add(next.split.shardId(), new ShardRecord(
            next.split.shardId(),
            record.sequenceNumber(),
            record.approximateArrivalTimestamp().toEpochMilli(),
            record.data().asByteArray()));
        next.afterSequenceNumber = record.sequenceNumber();
      }
      next.iterator = answer.nextShardIterator();
      if (next.iterator == null) {
        readings.remove(next);
        finished.add(next.split.shardId());
      } else if (answer.records().isEmpty()) {
        next.notBeforeMs = now + POLL_INTERVAL_MS;
      }
    } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException throttled) {
      next.throttles++;
      long backoff = Math.min(MAX_BACKOFF_MS, POLL_INTERVAL_MS << Math.min(next.throttles, 5));
      next.notBeforeMs = now + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    } catch (ExpiredIteratorException expired) {
      next.iterator = null;
    } catch (ResourceNotFoundException gone) {
      // A shard trimmed past its retention has nothing left to read.
      readings.remove(next);
      finished.add(next.split.shardId());
    }
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

  private void pause() {
    synchronized (wake) {
      try {
        wake.wait(POLL_INTERVAL_MS);
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
