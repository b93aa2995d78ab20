package eventspipeline.analytics.results;

import eventspipeline.analytics.experiment.ExperimentFigures;
import eventspipeline.analytics.experiment.Totals;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Writes each experiment's figures to Redis, where the query side reads them, as absolute values under fixed
 * fields in one MULTI, so a reader sees one emission whole and a write repeated after a restart changes nothing.
 * Redis serves the reads the results page makes every few seconds from small hashes, and the pipeline already
 * runs it for flag status. Keys share the experiment's hash tag, so a Redis cluster takes each MULTI on one shard.
 */
public final class RedisFiguresSink implements Sink<ExperimentFigures> {
  private final String redisUrl;
  private final String authSecretArn;
  private final String keyPrefix;

  /**
   * {@code redis://} or, over TLS, {@code rediss://}; the AUTH token, when there is one, is the secret named by
   * {@code authSecretArn} (null for none), read from Secrets Manager when a writer opens.
   */
  public RedisFiguresSink(String redisUrl, String authSecretArn, String keyPrefix) {
    this.redisUrl = redisUrl;
    this.authSecretArn = authSecretArn;
    this.keyPrefix = keyPrefix;
  }

  /** The key of one of an experiment's hashes: {@code totals}, {@code minutes}, {@code left-out} or {@code state}. */
  public static String key(String keyPrefix, String experimentId, String part) {
    return keyPrefix + ":{" + experimentId + "}:" + part;
  }

  @Override
  public SinkWriter<ExperimentFigures> createWriter(WriterInitContext context) {
    if (authSecretArn == null) return new Writer(new JedisPooled(URI.create(redisUrl)), keyPrefix);
    URI uri = URI.create(redisUrl);
    String token;
    try (SecretsManagerClient secrets = SecretsManagerClient.builder().httpClientBuilder(ApacheHttpClient.builder()).build()) {
      token = secrets.getSecretValue(GetSecretValueRequest.builder().secretId(authSecretArn).build()).secretString();
    }
    JedisClientConfig config = DefaultJedisClientConfig.builder()
        .ssl(uri.getScheme().equals("rediss"))
        .password(token)
        .build();
    return new Writer(new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort()), config), keyPrefix);
  }

  private static final class Writer implements SinkWriter<ExperimentFigures> {
    private final JedisPooled redis;
    private final String keyPrefix;

    Writer(JedisPooled redis, String keyPrefix) {
      this.redis = redis;
      this.keyPrefix = keyPrefix;
    }

    private static Map<String, String> encoded(Map<String, Totals> cells) {
      Map<String, String> fields = new HashMap<>();
      cells.forEach((cell, totals) -> fields.put(cell, String.format(
          java.util.Locale.ROOT, "{\"units\":%d,\"converted\":%d,\"sum\":%s,\"sumOfSquares\":%s}",
          totals.units(), totals.converted(), Double.toString(totals.sum()), Double.toString(totals.sumOfSquares()))));
      return fields;
    }

    @Override
    public void write(ExperimentFigures figures, Context context) throws IOException {
      String id = figures.experimentId();
      try {
        writeFigures(id, figures);
      } catch (JedisException error) {
        throw new IOException("could not write the figures of " + id + " to Redis: " + error.getMessage(), error);
      }
      try {
        redis.sadd(keyPrefix + ":experiments", id);
      } catch (JedisException error) {
        throw new IOException("could not list the experiment " + id + " in Redis: " + error.getMessage(), error);
      }
    }

    private void writeFigures(String id, ExperimentFigures figures) {
      try (var transaction = redis.multi()) {
        if (!figures.totals().isEmpty()) transaction.hset(key(keyPrefix, id, "totals"), encoded(figures.totals()));
        if (!figures.minutes().isEmpty()) transaction.hset(key(keyPrefix, id, "minutes"), encoded(figures.minutes()));
        Map<String, String> reasons = new HashMap<>();
        figures.leftOut().forEach((reason, count) -> reasons.put(reason, Long.toString(count)));
        if (!reasons.isEmpty()) transaction.hset(key(keyPrefix, id, "left-out"), reasons);
        transaction.hset(key(keyPrefix, id, "state"), Map.of(
            "emittedAtMs", Long.toString(figures.emittedAtMs()),
            "crossoverUnits", Long.toString(figures.crossoverUnits())));
        transaction.exec();
      }
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() {
      redis.close();
    }
  }
}
