package eventspipeline.analytics.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eventspipeline.analytics.experiment.ExperimentFigures;
import eventspipeline.analytics.experiment.Totals;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

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

  @Test
  void authenticatesWithTheTokenItReadsFromSecretsManagerAsDeployed() throws Exception {
    // given: a Redis that refuses clients without its token, and the token as a secret (moto stands in for AWS)
    String token = "token" + UUID.randomUUID().toString().replace("-", "");
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process server = new ProcessBuilder(required("REDIS_SERVER"), "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--requirepass", token, "--save", "", "--appendonly", "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    String secretArn;
    try (SecretsManagerClient secrets = SecretsManagerClient.builder()
        .endpointOverride(java.net.URI.create(required("MOTO_URL")))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("moto", "moto")))
        .build()) {
      secretArn = secrets.createSecret(b -> b.name("redis-auth-" + UUID.randomUUID()).secretString(token)).arn();
    }
    // The sink's client finds AWS as the application's does, from its environment: here, moto's endpoint.
    System.setProperty("aws.endpointUrlSecretsManager", required("MOTO_URL"));
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "moto");
    System.setProperty("aws.secretAccessKey", "moto");
    String url = "redis://127.0.0.1:" + port;
    try (JedisPooled authenticated = new JedisPooled(new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder().password(token).build())) {
      awaitAnswer(authenticated);
      ExperimentFigures figures = new ExperimentFigures(
          "env-a/auth/1", 1_795_000_010_000L, Map.of("0:", new Totals(3, 0, 0, 0)), Map.of(), Map.of(), 0);

      // when
      SinkWriter<ExperimentFigures> writer = new RedisFiguresSink(url, secretArn, prefix).createWriter(null);
      writer.write(figures, null);
      writer.close();

      // then: written with the token, and refused without it
      assertEquals(
          Map.of("0:", "{\"units\":3,\"converted\":0,\"sum\":0.0,\"sumOfSquares\":0.0}"),
          authenticated.hgetAll(RedisFiguresSink.key(prefix, "env-a/auth/1", "totals")));
      SinkWriter<ExperimentFigures> withoutToken = new RedisFiguresSink(url, null, prefix).createWriter(null);
      IOException refused = assertThrows(IOException.class, () -> withoutToken.write(figures, null));
      assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
      withoutToken.close();
    } finally {
      for (String property : List.of("aws.endpointUrlSecretsManager", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
        System.clearProperty(property);
      }
      server.destroy();
      server.waitFor();
    }
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " environment variable is not set: run npm run test:analytics");
    }
    return value;
  }

  private static void awaitAnswer(JedisPooled redis) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        redis.ping();
        return;
      } catch (redis.clients.jedis.exceptions.JedisConnectionException notYet) {
        if (attempt == 100) throw notYet;
        Thread.sleep(100);
      }
    }
  }
}
