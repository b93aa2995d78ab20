package eventspipeline.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import events.v1.Events.Endpoint;
import eventspipeline.analytics.experiment.CatalogSource;
import eventspipeline.analytics.experiment.ExperimentFigures;
import eventspipeline.analytics.experiment.LeftOut;
import eventspipeline.analytics.experiment.Totals;
import eventspipeline.analytics.source.ForgetfulSource;
import eventspipeline.analytics.source.KinesisShardSource;
import eventspipeline.analytics.source.ShardRecord;
import eventspipeline.analytics.source.StartingPosition;
import eventspipeline.analytics.support.Collected;
import eventspipeline.analytics.support.ExperimentStream;
import eventspipeline.analytics.support.ExperimentStream.Payload;
import eventspipeline.analytics.support.ExperimentStream.PayloadBuilder;
import eventspipeline.analytics.support.ExperimentStream.Sent;
import eventspipeline.analytics.support.FailOnce;
import eventspipeline.analytics.support.Kinesalite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The whole job over kinesalite: generated traffic from several channels, out of order across shards, with resent
 * records and events, noise of every kind, compared figure by figure with an oracle written here, apart from the job.
 */
class ExperimentJobTest {
  private static final String EXPERIMENT = "env-a/checkout/1";
  private static final Duration LATENESS = Duration.ofSeconds(20);
  private static Kinesalite kinesalite;
  private static int streams;

  @TempDir Path folder;

  @BeforeAll
  static void startKinesis() throws Exception {
    kinesalite = Kinesalite.start();
  }

  @AfterAll
  static void stopKinesis() throws Exception {
    kinesalite.close();
  }

  /** What the test wrote: the payloads and records, with the records written twice. */
  private record Traffic(List<Payload> firstHalf, List<Payload> secondHalf, List<Payload> resentEvents, int resentRecords) {}

  private static Traffic traffic(long base, long iterationStart, Random random) {
    List<PayloadBuilder> server = new ArrayList<>();
    List<PayloadBuilder> browser = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      server.add(new PayloadBuilder("server-" + p, Endpoint.ENDPOINT_SERVER, base));
      browser.add(new PayloadBuilder("browser-" + p, Endpoint.ENDPOINT_CLIENT, base));
    }
    for (int u = 0; u < 240; u++) {
      String unit = "user-" + u;
      int variation = u % 2;
      long exposedAt = base - 10_000 + random.nextInt(6_000);
      server.get(random.nextInt(server.size())).exposure(unit, variation, exposedAt);
      if (u % 7 == 0) server.get(random.nextInt(server.size())).exposure(unit, variation, exposedAt + 500);
      if (u % 40 == 3) server.get(random.nextInt(server.size())).exposure(unit, 1 - variation, exposedAt + 300);
      if (random.nextDouble() < (variation == 1 ? 0.45 : 0.3)) {
        // some goals are dated before the unit's exposure: they never count
        long purchasedAt = exposedAt - 800 + random.nextInt(2_500);
        Double value = u % 23 == 0 ? null : Math.round(random.nextDouble() * 10_000) / 100.0;
        browser.get(random.nextInt(browser.size())).purchase(unit, value, purchasedAt);
        if (random.nextBoolean()) browser.get(random.nextInt(browser.size())).purchase(unit, 5.0, purchasedAt + 200);
      }
      if (random.nextDouble() < 0.5) browser.get(random.nextInt(browser.size())).click(unit, exposedAt + random.nextInt(2_000));
    }
    // noise: goals of units never exposed, events before the iteration, mis-dated, or without a user
    for (int n = 0; n < 12; n++) {
      PayloadBuilder noise = browser.get(n);
      noise.click("stranger-" + n, base - 5_000);
      noise.purchase("user-" + n, 3.0, iterationStart - 1_000);
      noise.click("user-" + n, base + 120_000);
      noise.purchase(null, 1.0, base - 4_000);
    }
    List<Payload> payloads = new ArrayList<>();
    server.forEach(each -> payloads.add(each.build()));
    browser.forEach(each -> payloads.add(each.build()));
    payloads.removeIf(payload -> payload.events().isEmpty());
    Collections.shuffle(payloads, random);
    // an SDK that sent a payload again: the same events, in a record of their own
    List<Payload> resent = List.of(payloads.get(0), payloads.get(1));
    int half = payloads.size() / 2;
    return new Traffic(payloads.subList(0, half), payloads.subList(half, payloads.size()), resent, 4);
  }

  /** The figures the traffic must come to, worked out plainly from what was sent. */
  private record Expected(Map<String, String> totals, Map<String, Long> leftOut, long crossoverUnits) {}

  private static Expected oracle(Traffic traffic, long iterationStart) {
    Map<String, TreeSet<Integer>> variations = new HashMap<>();
    Map<String, Long> firstExposure = new HashMap<>();
    List<Sent> goals = new ArrayList<>();
    Map<String, Long> leftOut = new TreeMap<>();
    List<Payload> all = new ArrayList<>(traffic.firstHalf());
    all.addAll(traffic.secondHalf());
    for (Payload payload : all) {
      for (Sent sent : payload.sent()) {
        String unusable = unusable(sent, payload, iterationStart);
        if (unusable != null) {
          leftOut.merge(unusable, 1L, Long::sum);
        } else if (sent.kind().equals("exposure")) {
          variations.computeIfAbsent(sent.unit(), k -> new TreeSet<>()).add(sent.variation());
          firstExposure.merge(sent.unit(), sent.atMs(), Math::min);
        } else {
          goals.add(sent);
        }
      }
    }
    long crossovers = variations.values().stream().filter(set -> set.size() > 1).count();
    // per unit and metric: goals counted, and the unit's value
    Map<String, Map<String, double[]>> perUnit = new HashMap<>();
    for (Sent goal : goals) {
      if (goal.kind().equals("purchase") && !goal.hasValue()) leftOut.merge(LeftOut.NOT_A_FINITE_VALUE, 1L, Long::sum);
      TreeSet<Integer> exposed = variations.get(goal.unit());
      if (exposed != null && exposed.size() > 1) continue;
      if (exposed == null || goal.atMs() < firstExposure.get(goal.unit())) {
        long metrics = goal.kind().equals("purchase") && goal.hasValue() ? 2 : 1;
        leftOut.merge(LeftOut.GOAL_BEFORE_EXPOSURE, metrics, Long::sum);
        continue;
      }
      Map<String, double[]> metrics = perUnit.computeIfAbsent(goal.unit(), k -> new HashMap<>());
      if (goal.kind().equals("click")) metrics.put("cta", new double[] {1});
      if (goal.kind().equals("purchase")) {
        metrics.put("purchase", new double[] {1});
        if (goal.hasValue()) metrics.merge("revenue", new double[] {goal.value()}, (a, b) -> new double[] {a[0] + b[0]});
      }
    }
    Map<String, double[]> cells = new TreeMap<>();
    variations.forEach((unit, set) -> {
      if (set.size() > 1) return;
      int variation = set.first();
      cells.merge(variation + ":", new double[] {1, 0, 0, 0}, ExperimentJobTest::add);
      perUnit.getOrDefault(unit, Map.of()).forEach((metric, value) ->
          cells.merge(variation + ":" + metric, new double[] {0, 1, value[0], value[0] * value[0]}, ExperimentJobTest::add));
    });
    Map<String, String> totals = new TreeMap<>();
    cells.forEach((cell, v) -> totals.put(cell, format(new Totals((long) v[0], (long) v[1], v[2], v[3]))));
    for (Payload payload : traffic.resentEvents()) {
      for (Sent sent : payload.sent()) {
        String unusable = unusable(sent, payload, iterationStart);
        if (unusable != null) {
          leftOut.merge(unusable, 1L, Long::sum);
          continue;
        }
        if (sent.kind().equals("purchase") && !sent.hasValue()) leftOut.merge(LeftOut.NOT_A_FINITE_VALUE, 1L, Long::sum);
        long observations = sent.kind().equals("purchase") && sent.hasValue() ? 2 : 1;
        leftOut.merge(LeftOut.RESENT_EVENT, observations, Long::sum);
      }
    }
    leftOut.put(LeftOut.RESENT_RECORD, (long) traffic.resentRecords());
    leftOut.put(LeftOut.CORRUPT_RECORD, 1L);
    return new Expected(totals, leftOut, crossovers);
  }

  /** Why an event cannot count for the experiment at all, in the order the rules are stated; null when it can. */
  private static String unusable(Sent sent, Payload payload, long iterationStart) {
    if (sent.atMs() > payload.envelope().getReceivedAtMs() + 60_000) return LeftOut.FUTURE_DATED;
    if (sent.atMs() < iterationStart) return LeftOut.BEFORE_ITERATION;
    if (sent.unit() == null) return LeftOut.NO_UNIT_CONTEXT;
    return null;
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
  }

  private static String format(Totals totals) {
    return String.format(Locale.ROOT, "units %d, converted %d, sum %.6f, sum of squares %.4f",
        totals.units(), totals.converted(), totals.sum(), totals.sumOfSquares());
  }

  /** The job's newest figures, in the oracle's terms; the crossover left-outs depend on arrival order, so apart. */
  private static Expected actual(List<ExperimentFigures> emitted, String experimentId) {
    Map<String, String> totals = new TreeMap<>();
    Map<String, Long> leftOut = new TreeMap<>();
    long crossovers = 0;
    for (ExperimentFigures figures : emitted) {
      if (figures.experimentId().equals(experimentId)) {
        totals.clear();
        figures.totals().forEach((cell, value) -> {
          if (value.units() != 0 || value.converted() != 0) totals.put(cell, format(value));
        });
        leftOut.putAll(figures.leftOut());
        crossovers = figures.crossoverUnits();
      }
      if (figures.experimentId().equals("job")) leftOut.putAll(figures.leftOut());
    }
    leftOut.remove(LeftOut.CROSSOVER);
    return new Expected(totals, leftOut, crossovers);
  }

  private static long crossoverLeftOuts(List<ExperimentFigures> emitted) {
    return emitted.stream().filter(f -> f.experimentId().equals(EXPERIMENT))
        .mapToLong(f -> f.leftOut().getOrDefault(LeftOut.CROSSOVER, 0L)).max().orElse(0);
  }

  private enum Run {
    PLAIN,
    WITH_A_TASK_FAILURE,
    WITH_A_TASK_FAILURE_AND_NO_POSITIONS
  }

  private Expected[] run(Run mode) throws Exception {
    String stream = "experiments-" + streams++;
    kinesalite.createStream(stream, 2);
    long base = System.currentTimeMillis();
    long iterationStart = base - 3_600_000;
    Path catalog = folder.resolve("experiments.json");
    Files.writeString(catalog, """
        {"experiments": [{
          "environmentId": "env-a", "key": "checkout", "flag": "new-checkout", "unitKind": "user", "iteration": 1,
          "iterationStart": "%s", "controlVariation": 0, "allocation": {"0": 0.5, "1": 0.5},
          "metrics": [
            {"key": "purchase", "kind": "conversion"},
            {"key": "revenue", "kind": "numeric", "event": "purchase"},
            {"key": "cta", "kind": "click", "event": "buy-button"}]}]}
        """.formatted(Instant.ofEpochMilli(iterationStart)));
    Random random = new Random(7);
    Traffic traffic = traffic(base, iterationStart, random);

    Configuration config = new Configuration();
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    env.enableCheckpointing(250);
    KinesisShardSource kinesis = new KinesisShardSource(kinesalite.settings(stream), StartingPosition.trimHorizon());
    Source<ShardRecord, ?, ?> source = mode == Run.WITH_A_TASK_FAILURE_AND_NO_POSITIONS ? new ForgetfulSource(kinesis) : kinesis;
    Collected<ExperimentFigures> collected = new Collected<>(stream);
    FailOnce<ExperimentFigures> failing = new FailOnce<>(collected, stream);
    Sink<ExperimentFigures> sink = mode == Run.PLAIN ? collected : failing;
    ExperimentTopology.build(env, source, sink, new ExperimentTopology.Settings(
        new CatalogSource(catalog.toString()), LATENESS, Duration.ofMillis(200), Duration.ofSeconds(1),
        Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(1), 0));
    JobClient job = env.executeAsync(stream);
    Expected expected = oracle(traffic, iterationStart);
    try (KinesisClient client = kinesalite.client()) {
      List<byte[]> records = new ArrayList<>();
      for (Payload payload : traffic.firstHalf()) records.add(payload.record(random));
      for (byte[] record : records) Kinesalite.put(client, stream, "pk-" + random.nextInt(1_000), record);
      for (int r = 0; r < traffic.resentRecords(); r++) Kinesalite.put(client, stream, "pk-resent-" + r, records.get(r));
      Kinesalite.put(client, stream, "pk-corrupt", new byte[] {0x08, 0x02, 0x32, 0x03, 1, 2, 3});
      // the first half counted and checkpointed (a checkpoint every 250 ms), then a failure while the second is read
      await(() -> !collected.values().isEmpty(), 60_000, "the first figures");
      Thread.sleep(1_000);
      failing.arm();
      for (Payload payload : traffic.secondHalf()) Kinesalite.put(client, stream, "pk-" + random.nextInt(1_000), payload.record(random));
      if (mode != Run.PLAIN) await(failing::failed, 60_000, "the task failure");
      for (Payload payload : traffic.resentEvents()) Kinesalite.put(client, stream, "pk-again", payload.record(random));
      // Once the arrivals pass every event's date by the lateness, nothing earlier can still come: goals stop waiting.
      long tickAt = base + LATENESS.toMillis() + 1_000;
      Thread.sleep(Math.max(0, tickAt - System.currentTimeMillis()));
      for (int shardKey = 0; shardKey < 8; shardKey++) {
        Payload tick = new PayloadBuilder("tick-" + shardKey, Endpoint.ENDPOINT_SERVER, tickAt).identify("tick", tickAt).build();
        Kinesalite.put(client, stream, "tick-" + shardKey, tick.record(random));
      }
      if (mode == Run.WITH_A_TASK_FAILURE_AND_NO_POSITIONS) {
        Thread.sleep(5_000);
      } else {
        await(() -> actual(collected.values(), EXPERIMENT).equals(expected), 60_000, "the oracle's figures");
      }
    } catch (AssertionError late) {
      assertEquals(expected, actual(collected.values(), EXPERIMENT), late.getMessage());
    } finally {
      job.cancel().get();
    }
    if (mode != Run.WITH_A_TASK_FAILURE_AND_NO_POSITIONS) {
      assertTrue(crossoverLeftOuts(collected.values()) > 0, "the crossover units' later events are left out");
    }
    return new Expected[] {expected, actual(collected.values(), EXPERIMENT)};
  }

  private static void await(java.util.function.BooleanSupplier condition, long timeoutMs, String what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("not within " + timeoutMs + " ms: " + what);
      Thread.sleep(100);
    }
  }

  @Test
  void comesToTheOraclesFiguresFromTrafficOfSeveralChannelsOutOfOrderWithResentRecords() throws Exception {
    Expected[] run = run(Run.PLAIN);
    assertEquals(run[0], run[1]);
    assertTrue(run[0].crossoverUnits() > 0 && run[0].leftOut().get(LeftOut.GOAL_BEFORE_EXPOSURE) > 0);
  }

  @Test
  void comesToTheSameFiguresAfterATaskFailureRestoresItFromItsCheckpoint() throws Exception {
    Expected[] run = run(Run.WITH_A_TASK_FAILURE);
    assertEquals(run[0], run[1]);
  }

  @Test
  void wouldCatchASourceThatLostItsPositionsOnRestore() throws Exception {
    Expected[] run = run(Run.WITH_A_TASK_FAILURE_AND_NO_POSITIONS);
    assertNotEquals(run[0], run[1]);
    assertEquals(run[0].totals(), run[1].totals(), "the record ids still keep each record's events counted once");
    assertTrue(run[1].leftOut().get(LeftOut.RESENT_RECORD) > run[0].leftOut().get(LeftOut.RESENT_RECORD));
  }
}
