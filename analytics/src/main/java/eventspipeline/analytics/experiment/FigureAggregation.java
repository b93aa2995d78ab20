package eventspipeline.analytics.experiment;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Adds up one experiment iteration's changes in keyed state (restored with the stream positions, so nothing is
 * counted twice after a restart) and emits its absolute figures every emission interval while they change.
 */
public final class FigureAggregation extends KeyedProcessFunction<String, Change, ExperimentFigures> {
  private final Duration emitInterval;

  private transient MapState<String, Totals> totals;
  private transient MapState<String, Totals> minutes;
  private transient MapState<String, Long> leftOut;
  private transient ValueState<Long> crossoverUnits;
  /** Minute cells changed since the last emission; present while an emission is due. */
  private transient ValueState<HashSet<String>> changedMinutes;

  public FigureAggregation(Duration emitInterval) {
    this.emitInterval = emitInterval;
  }

  @Override
  public void open(OpenContext openContext) {
    totals = getRuntimeContext().getMapState(new MapStateDescriptor<>("totals", String.class, Totals.class));
    minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minutes", String.class, Totals.class));
    leftOut = getRuntimeContext().getMapState(new MapStateDescriptor<>("left-out", String.class, Long.class));
    crossoverUnits = getRuntimeContext().getState(new ValueStateDescriptor<>("crossover-units", Long.class));
    @SuppressWarnings("unchecked")
    Class<HashSet<String>> setClass = (Class<HashSet<String>>) (Class<?>) HashSet.class;
    changedMinutes = getRuntimeContext().getState(new ValueStateDescriptor<>("changed-minutes", setClass));
  }

  @Override
  public void processElement(Change change, Context context, Collector<ExperimentFigures> out) throws Exception {
    HashSet<String> changed = changedMinutes.value();
    if (changed == null) {
      changed = new HashSet<>();
      long now = context.timerService().currentProcessingTime();
      long interval = emitInterval.toMillis();
      context.timerService().registerProcessingTimeTimer((now / interval + 1) * interval);
    }
    if (change.leftOutReason() != null) {
      Long count = leftOut.get(change.leftOutReason());
      leftOut.put(change.leftOutReason(), (count == null ? 0 : count) + 1);
    } else if (change.crossoverUnits() != 0) {
      Long count = crossoverUnits.value();
      crossoverUnits.update((count == null ? 0 : count) + change.crossoverUnits());
    } else {
      String cell = ExperimentFigures.cell(change.variation(), change.metric());
      Totals total = totals.get(cell);
      totals.put(cell, (total == null ? Totals.ZERO : total).plus(change));
      String minuteCell = change.minuteMs() + ":" + cell;
      Totals minute = minutes.get(minuteCell);
      minutes.put(minuteCell, (minute == null ? Totals.ZERO : minute).plus(change));
      changed.add(minuteCell);
    }
    changedMinutes.update(changed);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<ExperimentFigures> out) throws Exception {
    Set<String> changed = changedMinutes.value();
    if (changed == null) return;
    Map<String, Totals> allTotals = new HashMap<>();
    for (Map.Entry<String, Totals> entry : totals.entries()) allTotals.put(entry.getKey(), entry.getValue());
    Map<String, Totals> changedMinuteTotals = new HashMap<>();
    for (String cell : changed) changedMinuteTotals.put(cell, minutes.get(cell));
    Map<String, Long> reasons = new HashMap<>();
    for (Map.Entry<String, Long> entry : leftOut.entries()) reasons.put(entry.getKey(), entry.getValue());
    Long crossovers = crossoverUnits.value();
    out.collect(new ExperimentFigures(
        context.getCurrentKey(), timestamp, allTotals, changedMinuteTotals, reasons, crossovers == null ? 0 : crossovers));
    changedMinutes.clear();
  }
}
