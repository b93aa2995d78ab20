package eventspipeline.analytics.experiment;

import eventspipeline.analytics.record.CorruptRecordException;
import eventspipeline.analytics.record.DecodedRecord;
import eventspipeline.analytics.record.RecordReader;
import eventspipeline.analytics.source.ShardRecord;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by record id: a record the producer sent again is counted once; a corrupt one is counted and set aside
 * (the {@link #SET_ASIDE} output, with its bytes), never failing the job. The rest become observations of the
 * experiments in the catalog, which is read again in the background every refresh interval.
 */
public final class RecordIntake extends KeyedProcessFunction<String, ShardRecord, Observation> {
  private static final Logger LOG = LoggerFactory.getLogger(RecordIntake.class);
  public static final OutputTag<Change> LEFT_OUT = new OutputTag<>("left-out") {};
  public static final OutputTag<String> SET_ASIDE = new OutputTag<>("set-aside") {};

  private final CatalogSource catalogSource;
  private final Duration catalogRefresh;
  private final Duration recordIdMemory;

  private transient ValueState<Boolean> seen;
  private transient volatile ExperimentCatalog catalog;
  private transient ScheduledExecutorService refresher;

  public RecordIntake(CatalogSource catalogSource, Duration catalogRefresh, Duration recordIdMemory) {
    this.catalogSource = catalogSource;
    this.catalogRefresh = catalogRefresh;
    this.recordIdMemory = recordIdMemory;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    var seenState = new ValueStateDescriptor<>("seen", Boolean.class);
    // A resent record arrives within the stream's retention of the first: remembered that long, then forgotten.
    seenState.enableTimeToLive(StateTtlConfig.newBuilder(recordIdMemory).build());
    seen = getRuntimeContext().getState(seenState);
    catalog = catalogSource.load();
    refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "experiment-catalog-refresh");
      thread.setDaemon(true);
      return thread;
    });
    long every = catalogRefresh.toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      catalog = catalogSource.load();
    } catch (Exception error) {
      LOG.warn("kept the experiments read before: {}", error.getMessage());
    }
  }

  @Override
  public void processElement(ShardRecord record, Context context, Collector<Observation> out) throws Exception {
    if (!context.getCurrentKey().isEmpty()) {
      if (seen.value() != null) {
        context.output(LEFT_OUT, Change.leftOut(Change.JOB, LeftOut.RESENT_RECORD));
        return;
      }
      seen.update(true);
    }
    DecodedRecord decoded;
    try {
      decoded = RecordReader.read(record.data());
    } catch (CorruptRecordException corrupt) {
      context.output(LEFT_OUT, Change.leftOut(Change.JOB, LeftOut.CORRUPT_RECORD));
      context.output(SET_ASIDE, String.format(
          "{\"shardId\":\"%s\",\"sequenceNumber\":\"%s\",\"reason\":%s,\"data\":\"%s\"}",
          record.shardId(), record.sequenceNumber(), quoted(corrupt.getMessage()),
          Base64.getEncoder().encodeToString(record.data())));
      return;
    }
    ExperimentCatalog experiments = catalog;
    ObservationMapper.Sink sink = new ObservationMapper.Sink() {
      @Override
      public void observe(Observation observation) {
        out.collect(observation);
      }

      @Override
      public void leftOut(String experimentId, String reason) {
        context.output(LEFT_OUT, Change.leftOut(experimentId, reason));
      }
    };
    for (DecodedRecord.EnvelopedEvent each : decoded.events()) {
      ObservationMapper.map(experiments, each.envelope(), each.event(), sink);
    }
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    if (refresher != null) refresher.shutdownNow();
  }
}
