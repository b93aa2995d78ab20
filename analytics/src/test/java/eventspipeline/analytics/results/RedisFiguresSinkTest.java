package eventspipeline.analytics.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eventspipeline.analytics.experiment.ExperimentFigures;
import eventspipeline.analytics.experiment.Totals;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

class RedisFiguresSinkTest {
  /** The Redis `npm run test:analytics` starts for the run (installed, or fetched once), as jest's set-up does. */
  private static final String REDIS_URL = requiredRedisUrl();
  private final String prefix = "test-exp-" + UUID.randomUUID();
  private final JedisPooled redis = new JedisPooled(java.net.URI.create(REDIS_URL));

  private static String requiredRedisUrl() {
    String url = System.getenv("REDIS_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("REDIS_URL environment variable is not set: run npm run test:analytics");
    }
    return url;
  }

  @AfterEach
  void removeKeys() {
    for (String key : redis.keys(prefix + ":*")) redis.del(key);
    redis.close();
  }

  @Test
  void writesAbsoluteFiguresThatAWriteRepeatedAfterARestartLeavesAsTheyAre() throws Exception {
    // given
    ExperimentFigures figures = new ExperimentFigures(
        "env-a/checkout/1",
        1_795_000_010_000L,
        Map.of("0:", new Totals(120, 0, 0, 0), "0:revenue", new Totals(0, 24, 1166.5, 81709.25)),
        Map.of("1795000000000:0:revenue", new Totals(0, 3, 10.5, 40.25)),
        Map.of("late", 2L),
        6);
    SinkWriter<ExperimentFigures> writer = new RedisFiguresSink(REDIS_URL, null, prefix).createWriter(null);

    // when: written, then written again as a restart from a checkpoint would
    writer.write(figures, null);
    Map<String, String> once = redis.hgetAll(RedisFiguresSink.key(prefix, "env-a/checkout/1", "totals"));
    writer.write(figures, null);
    writer.close();

    // then
    String id = "env-a/checkout/1";
    assertEquals(once, redis.hgetAll(RedisFiguresSink.key(prefix, id, "totals")));
    assertEquals(
        Map.of(
            "0:", "{\"units\":120,\"converted\":0,\"sum\":0.0,\"sumOfSquares\":0.0}",
            "0:revenue", "{\"units\":0,\"converted\":24,\"sum\":1166.5,\"sumOfSquares\":81709.25}"),
        once);
    assertEquals(
        Map.of("1795000000000:0:revenue", "{\"units\":0,\"converted\":3,\"sum\":10.5,\"sumOfSquares\":40.25}"),
        redis.hgetAll(RedisFiguresSink.key(prefix, id, "minutes")));
    assertEquals(Map.of("late", "2"), redis.hgetAll(RedisFiguresSink.key(prefix, id, "left-out")));
    assertEquals(
        Map.of("emittedAtMs", "1795000010000", "crossoverUnits", "6"),
        redis.hgetAll(RedisFiguresSink.key(prefix, id, "state")));
    assertEquals(Set.of(id), redis.smembers(prefix + ":experiments"));
  }
}
