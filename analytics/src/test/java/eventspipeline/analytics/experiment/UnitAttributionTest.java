package eventspipeline.analytics.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnitAttributionTest {
  private static final String EXPERIMENT = "env/checkout/1";
  private static final Metric PURCHASE = new Metric("purchase", Metric.Kind.CONVERSION, "purchase");
  private static final Metric REVENUE = new Metric("revenue", Metric.Kind.NUMERIC, "purchase");

  private KeyedOneInputStreamOperatorTestHarness<String, Observation, Change> harness;
  private int events;

  @BeforeEach
  void start() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new UnitAttribution(Duration.ofDays(1)), Observation::unitId, Types.STRING);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private void exposure(String unit, int variation, long atMs) throws Exception {
    harness.processElement(Observation.exposure(EXPERIMENT, unit, variation, atMs, "p:" + events++), atMs);
  }

  private void goal(String unit, Metric metric, double value, long atMs, String eventId) throws Exception {
    harness.processElement(Observation.goal(EXPERIMENT, unit, metric, value, atMs, eventId), atMs);
  }

  private void goal(String unit, Metric metric, double value, long atMs) throws Exception {
    goal(unit, metric, value, atMs, "p:" + events++);
  }

  /** The changes added up, written apart from the job's own aggregation: totals by cell, and reasons counted. */
  private record Net(Map<String, List<Double>> cells, Map<String, Long> leftOut, long crossoverUnits) {}

  private Net net() {
    Map<String, List<Double>> cells = new TreeMap<>();
    Map<String, Long> leftOut = new TreeMap<>();
    long crossovers = 0;
    for (Change change : harness.extractOutputValues()) {
      if (change.leftOutReason() != null) {
        leftOut.merge(change.leftOutReason(), 1L, Long::sum);
      } else if (change.crossoverUnits() > 0) {
        crossovers += change.crossoverUnits();
      } else {
        String cell = change.variation() + ":" + change.metric();
        List<Double> was = cells.getOrDefault(cell, List.of(0.0, 0.0, 0.0, 0.0));
        cells.put(cell, List.of(
            was.get(0) + change.units(), was.get(1) + change.converted(), was.get(2) + change.sum(),
            was.get(3) + change.sumOfSquares()));
      }
    }
    cells.values().removeIf(values -> values.stream().allMatch(v -> v == 0));
    return new Net(cells, leftOut, crossovers);
  }

  @Test
  void countsAGoalAfterTheExposureOnce() throws Exception {
    exposure("u1", 1, 1_000);
    goal("u1", PURCHASE, 1, 2_000);
    goal("u1", PURCHASE, 1, 3_000);

    assertEquals(
        new Net(Map.of("1:", List.of(1.0, 0.0, 0.0, 0.0), "1:purchase", List.of(0.0, 1.0, 1.0, 1.0)), Map.of(), 0),
        net());
  }

  @Test
  void countsAGoalThatArrivesBeforeItsExposureFromAnotherChannel() throws Exception {
    goal("u1", PURCHASE, 1, 2_000);
    exposure("u1", 0, 1_000);

    assertEquals(
        new Net(Map.of("0:", List.of(1.0, 0.0, 0.0, 0.0), "0:purchase", List.of(0.0, 1.0, 1.0, 1.0)), Map.of(), 0),
        net());
  }

  @Test
  void leavesOutAGoalWithNoExposureBeforeItOnceTheWatermarkPassesIt() throws Exception {
    goal("u1", PURCHASE, 1, 2_000);
    exposure("u1", 0, 3_000);
    harness.processWatermark(2_000);

    assertEquals(
        new Net(Map.of("0:", List.of(1.0, 0.0, 0.0, 0.0)), Map.of(LeftOut.GOAL_BEFORE_EXPOSURE, 1L), 0), net());
  }

  @Test
  void countsAWaitingGoalWhenAnEarlierExposureArrivesWithinTheLateness() throws Exception {
    exposure("u1", 0, 3_000);
    goal("u1", PURCHASE, 1, 2_000);
    harness.processWatermark(1_000);
    exposure("u1", 0, 1_500);
    harness.processWatermark(2_500);

    assertEquals(
        new Net(Map.of("0:", List.of(1.0, 0.0, 0.0, 0.0), "0:purchase", List.of(0.0, 1.0, 1.0, 1.0)), Map.of(), 0),
        net());
  }

  @Test
  void leavesOutWhatIsLaterThanTheAllowedLateness() throws Exception {
    harness.processWatermark(5_000);
    exposure("u1", 0, 4_000);
    goal("u1", PURCHASE, 1, 4_500);
    exposure("u2", 1, 6_000);

    assertEquals(new Net(Map.of("1:", List.of(1.0, 0.0, 0.0, 0.0)), Map.of(LeftOut.LATE, 2L), 0), net());
  }

  @Test
  void takesACrossoverUnitOutOfEveryFigureAndLeavesOutItsLaterEvents() throws Exception {
    exposure("u1", 0, 1_000);
    goal("u1", REVENUE, 5, 1_100);
    goal("u1", PURCHASE, 1, 1_100);
    exposure("u2", 0, 1_000);
    exposure("u1", 1, 1_200);
    goal("u1", REVENUE, 7, 1_300);
    exposure("u1", 0, 1_400);

    assertEquals(
        new Net(Map.of("0:", List.of(1.0, 0.0, 0.0, 0.0)), Map.of(LeftOut.CROSSOVER, 3L), 1), net());
  }

  @Test
  void countsAnEventTheSdkSentAgainOnce() throws Exception {
    exposure("u1", 0, 1_000);
    goal("u1", REVENUE, 5, 2_000, "payload-a:3");
    goal("u1", REVENUE, 5, 2_000, "payload-a:3");

    assertEquals(
        new Net(
            Map.of("0:", List.of(1.0, 0.0, 0.0, 0.0), "0:revenue", List.of(0.0, 1.0, 5.0, 25.0)),
            Map.of(LeftOut.RESENT_EVENT, 1L),
            0),
        net());
  }

  @Test
  void sumsANumericMetricPerUnitBeforeSquaringIt() throws Exception {
    exposure("u1", 1, 1_000);
    goal("u1", REVENUE, 3, 2_000);
    goal("u1", REVENUE, 4, 2_500);
    exposure("u2", 1, 1_000);
    goal("u2", REVENUE, 2, 2_000);

    assertEquals(
        new Net(Map.of("1:", List.of(2.0, 0.0, 0.0, 0.0), "1:revenue", List.of(0.0, 2.0, 9.0, 53.0)), Map.of(), 0),
        net());
  }
}
