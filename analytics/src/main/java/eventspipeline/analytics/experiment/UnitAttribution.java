package eventspipeline.analytics.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One unit of one experiment, in event time. A goal counts once the unit has an exposure dated before it; a goal
 * with none yet waits until the watermark passes its time (no earlier exposure can arrive after that), then is
 * left out. A unit exposed to a second variation is a crossover: everything it counted is taken back and its later
 * events are left out. Each change is emitted as a difference, which the figures add up.
 */
public final class UnitAttribution extends KeyedProcessFunction<String, Observation, Change> {
  private final Duration unitStateTtl;

  private transient ValueState<Exposure> exposure;
  /** The unit's value per metric: goals counted, and their sum (1 for a conversion). */
  private transient MapState<String, MetricValue> metrics;
  private transient ListState<Observation> waiting;
  private transient MapState<String, Boolean> countedEvents;

  /** The unit's variation and first exposure; {@code crossover} once it was exposed to another. */
  public record Exposure(int variation, long firstAtMs, boolean crossover) {}

  public record MetricValue(long goals, double value) {}

  public UnitAttribution(Duration unitStateTtl) {
    this.unitStateTtl = unitStateTtl;
  }

  @Override
  public void open(OpenContext openContext) {
    // An iteration's units are kept as long as an experiment runs, then forgotten without a sweep.
    StateTtlConfig ttl = StateTtlConfig.newBuilder(unitStateTtl).build();
    var exposureState = new ValueStateDescriptor<>("exposure", Exposure.class);
    exposureState.enableTimeToLive(ttl);
    var metricState = new MapStateDescriptor<>("metrics", String.class, MetricValue.class);
    metricState.enableTimeToLive(ttl);
    var waitingState = new ListStateDescriptor<>("waiting-goals", Observation.class);
    waitingState.enableTimeToLive(ttl);
    var countedState = new MapStateDescriptor<>("counted-events", String.class, Boolean.class);
    countedState.enableTimeToLive(ttl);
    exposure = getRuntimeContext().getState(exposureState);
    metrics = getRuntimeContext().getMapState(metricState);
    waiting = getRuntimeContext().getListState(waitingState);
    countedEvents = getRuntimeContext().getMapState(countedState);
  }

  @Override
  public void processElement(Observation observation, Context context, Collector<Change> out) throws Exception {
    String experiment = observation.experimentId();
    if (observation.atMs() < context.timerService().currentWatermark()) {
      out.collect(Change.leftOut(experiment, LeftOut.LATE));
      return;
    }
    String eventKey = observation.kind() + ":" + observation.metric() + ":" + observation.eventId();
    if (countedEvents.contains(eventKey)) {
      out.collect(Change.leftOut(experiment, LeftOut.RESENT_EVENT));
      return;
    }
    countedEvents.put(eventKey, true);
    Exposure current = exposure.value();
    if (current != null && current.crossover()) {
      out.collect(Change.leftOut(experiment, LeftOut.CROSSOVER));
      return;
    }
    if (observation.kind() == Observation.Kind.EXPOSURE) {
      expose(observation, current, out);
    } else if (current != null && current.firstAtMs() <= observation.atMs()) {
      count(observation, current, out);
    } else {
      waiting.add(observation);
      context.timerService().registerEventTimeTimer(observation.atMs());
    }
  }

  private void expose(Observation observation, Exposure current, Collector<Change> out) throws Exception {
    String experiment = observation.experimentId();
    if (current == null) {
      Exposure first = new Exposure(observation.variation(), observation.atMs(), false);
      exposure.update(first);
      out.collect(Change.exposed(experiment, first.variation(), observation.atMs(), 1));
      release(first, out);
    } else if (current.variation() != observation.variation()) {
      takeBack(experiment, current, observation.atMs(), out);
      exposure.update(new Exposure(current.variation(), current.firstAtMs(), true));
      for (Observation goal : waiting.get()) out.collect(Change.leftOut(experiment, LeftOut.CROSSOVER));
      waiting.clear();
      out.collect(Change.crossover(experiment));
      out.collect(Change.leftOut(experiment, LeftOut.CROSSOVER));
    } else if (observation.atMs() < current.firstAtMs()) {
      Exposure earlier = new Exposure(current.variation(), observation.atMs(), false);
      exposure.update(earlier);
      release(earlier, out);
    }
  }

  /** Counts the waiting goals that the (new) first exposure precedes. */
  private void release(Exposure first, Collector<Change> out) throws Exception {
    List<Observation> still = new ArrayList<>();
    for (Observation goal : waiting.get()) {
      if (goal.atMs() >= first.firstAtMs()) count(goal, first, out);
      else still.add(goal);
    }
    waiting.update(still);
  }

  private void count(Observation goal, Exposure exposed, Collector<Change> out) throws Exception {
    MetricValue before = metrics.get(goal.metric());
    double was = before == null ? 0 : before.value();
    double now = goal.metricKind() == Metric.Kind.NUMERIC ? was + goal.value() : 1;
    metrics.put(goal.metric(), new MetricValue(before == null ? 1 : before.goals() + 1, now));
    out.collect(Change.metric(
        goal.experimentId(), exposed.variation(), goal.metric(), goal.atMs(),
        before == null ? 1 : 0, now - was, now * now - was * was));
  }

  private void takeBack(String experiment, Exposure current, long atMs, Collector<Change> out) throws Exception {
    out.collect(Change.exposed(experiment, current.variation(), atMs, -1));
    for (Map.Entry<String, MetricValue> entry : metrics.entries()) {
      double value = entry.getValue().value();
      out.collect(Change.metric(experiment, current.variation(), entry.getKey(), atMs, -1, -value, -value * value));
    }
    metrics.clear();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Change> out) throws Exception {
    List<Observation> still = new ArrayList<>();
    for (Observation goal : waiting.get()) {
      if (goal.atMs() <= timestamp) out.collect(Change.leftOut(goal.experimentId(), LeftOut.GOAL_BEFORE_EXPOSURE));
      else still.add(goal);
    }
    waiting.update(still);
  }
}
