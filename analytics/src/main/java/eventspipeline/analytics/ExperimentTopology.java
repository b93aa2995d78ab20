package eventspipeline.analytics;

import eventspipeline.analytics.experiment.CatalogSource;
import eventspipeline.analytics.experiment.Change;
import eventspipeline.analytics.experiment.ExperimentFigures;
import eventspipeline.analytics.experiment.FigureAggregation;
import eventspipeline.analytics.experiment.Observation;
import eventspipeline.analytics.experiment.RecordIntake;
import eventspipeline.analytics.experiment.UnitAttribution;
import eventspipeline.analytics.record.RecordReader;
import eventspipeline.analytics.source.ShardRecord;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job, from stream records to experiment figures, with its source and sinks passed in: records keyed by record
 * id (a resent record meets itself) become observations, keyed by unit for attribution, whose changes are added up
 * per experiment iteration. Event time is the events' creation date; the watermark follows the records' arrival
 * times per shard, less the allowed lateness, and an idle shard does not hold it back.
 */
public final class ExperimentTopology {
  private ExperimentTopology() {}

  public record Settings(
      CatalogSource catalog,
      Duration allowedLateness,
      Duration emitInterval,
      Duration catalogRefresh,
      Duration recordIdMemory,
      Duration unitStateTtl,
      Duration idleShard,
      int generation)
      implements Serializable {

    /** What a deployment runs with unless told otherwise. */
    public static Settings defaults(CatalogSource catalog) {
      return new Settings(
          catalog,
          Duration.ofMinutes(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofDays(7),
          Duration.ofDays(90),
          Duration.ofMinutes(1),
          0);
    }

    /**
     * An operator's uid in this generation. A replay is a new generation: none of its operators finds state in the
     * snapshot of the one before (which the application drops), so it starts empty, and its source at the replay's time.
     */
    String uid(String operator) {
      return generation == 0 ? operator : operator + "-g" + generation;
    }
  }

  public static SingleOutputStreamOperator<ExperimentFigures> build(
      StreamExecutionEnvironment env,
      Source<ShardRecord, ?, ?> source,
      Sink<ExperimentFigures> figuresSink,
      Settings settings) {
    WatermarkStrategy<ShardRecord> byArrival = WatermarkStrategy.<ShardRecord>forBoundedOutOfOrderness(
            settings.allowedLateness())
        .withTimestampAssigner((record, previous) -> record.arrivalMs())
        .withIdleness(settings.idleShard());
    DataStream<ShardRecord> records = env.fromSource(source, byArrival, "kinesis").uid(settings.uid("kinesis-source"));
    return attach(records, figuresSink, settings);
  }

  /** Everything after the source, for records with their arrival times as timestamps and watermarks. */
  public static SingleOutputStreamOperator<ExperimentFigures> attach(
      DataStream<ShardRecord> records, Sink<ExperimentFigures> figuresSink, Settings settings) {
    SingleOutputStreamOperator<Observation> observations = records
        .keyBy(record -> RecordReader.recordIdOf(record.data()), Types.STRING)
        .process(new RecordIntake(settings.catalog(), settings.catalogRefresh(), settings.recordIdMemory()))
        .uid(settings.uid("record-intake"))
        .name("records to observations");
    observations.getSideOutput(RecordIntake.SET_ASIDE)
        .sinkTo(new SetAsideLog())
        .uid(settings.uid("set-aside"))
        .name("set aside");
    DataStream<Change> unitChanges = observations
        .keyBy(Observation::unitId, Types.STRING)
        .process(new UnitAttribution(settings.unitStateTtl()))
        .uid(settings.uid("unit-attribution"))
        .name("attribution per unit");
    SingleOutputStreamOperator<ExperimentFigures> figures = unitChanges
        .union(observations.getSideOutput(RecordIntake.LEFT_OUT))
        .keyBy(Change::experimentId, Types.STRING)
        .process(new FigureAggregation(settings.emitInterval()))
        .uid(settings.uid("figures"))
        .name("figures per experiment");
    figures.sinkTo(figuresSink).uid(settings.uid("figures-sink")).name("figures to the store");
    return figures;
  }

  /** A corrupt record's bytes go to the job's log (CloudWatch when deployed), from where it can be recovered. */
  static final class SetAsideLog implements Sink<String> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SetAsideLog.class);

    @Override
    public org.apache.flink.api.connector.sink2.SinkWriter<String> createWriter(
        org.apache.flink.api.connector.sink2.WriterInitContext context) {
      return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
        @Override
        public void write(String entry, Context context) {
          LOG.warn("set aside a corrupt record: {}", entry);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
