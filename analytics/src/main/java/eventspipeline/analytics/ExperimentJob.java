package eventspipeline.analytics;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventspipeline.analytics.experiment.CatalogSource;
import eventspipeline.analytics.results.RedisFiguresSink;
import eventspipeline.analytics.source.KinesisSettings;
import eventspipeline.analytics.source.KinesisShardSource;
import eventspipeline.analytics.source.StartingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The experiment job's entry point. Deployed, its settings are the application's runtime properties (group
 * {@code ExperimentJob}); locally, {@code --properties FILE} names a JSON object of the same keys, and the job runs
 * in a MiniCluster in this JVM.
 */
public final class ExperimentJob {
  static final String PROPERTY_GROUP = "ExperimentJob";

  private ExperimentJob() {}

  /** The job's settings, each named by its property key when it is missing or wrong. */
  record JobProperties(Map<String, String> values) {
    String required(String key) {
      String value = values.get(key);
      if (value == null || value.isBlank()) throw new IllegalArgumentException("property " + key + " is not set");
      return value;
    }

    String optional(String key, String fallback) {
      String value = values.get(key);
      return value == null || value.isBlank() ? fallback : value;
    }

    Duration seconds(String key, long fallback) {
      String value = optional(key, Long.toString(fallback));
      try {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
      } catch (NumberFormatException error) {
        throw new IllegalArgumentException("property " + key + " must be a number of seconds, got \"" + value + "\"");
      }
    }
  }

  static JobProperties properties(String[] args) throws Exception {
    Map<String, String> values = new HashMap<>();
    if (args.length == 2 && args[0].equals("--properties")) {
      Map<?, ?> file = new ObjectMapper().readValue(Path.of(args[1]).toFile(), Map.class);
      file.forEach((key, value) -> values.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
    } else if (args.length == 0) {
      Properties group = KinesisAnalyticsRuntime.getApplicationProperties().get(PROPERTY_GROUP);
      if (group == null) throw new IllegalArgumentException("the runtime properties have no group " + PROPERTY_GROUP);
      group.forEach((key, value) -> values.put(String.valueOf(key), String.valueOf(value)));
    } else {
      throw new IllegalArgumentException("usage: ExperimentJob [--properties FILE]");
    }
    return new JobProperties(values);
  }

  public static void main(String[] args) throws Exception {
    JobProperties properties = properties(args);
    if (properties.optional("exitWhenStdinCloses", "false").equals("true")) exitWhenStdinCloses();
    Configuration config = new Configuration();
    String checkpoints = properties.optional("checkpointDirectory", "");
    if (!checkpoints.isEmpty()) {
      // Locally the job keeps its checkpoints in the data folder and resumes from the newest at the next start.
      config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Path.of(checkpoints).toUri().toString());
      config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      newestCheckpoint(Path.of(checkpoints)).ifPresent(
          newest -> config.set(StateRecoveryOptions.SAVEPOINT_PATH, newest.toString()));
    }
    String restPort = properties.optional("restPort", "");
    if (!restPort.isEmpty()) {
      config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      config.set(RestOptions.ADDRESS, "127.0.0.1");
      config.set(RestOptions.PORT, Integer.parseInt(restPort));
      // The status page reads the job's metrics through the REST API: fresh every second rather than every ten.
      config.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    String checkpointSeconds = properties.optional("checkpointIntervalSeconds", "");
    if (!checkpointSeconds.isEmpty()) env.enableCheckpointing(properties.seconds("checkpointIntervalSeconds", 10).toMillis());
    KinesisSettings kinesis = new KinesisSettings(
        properties.required("streamName"),
        properties.required("region"),
        properties.optional("kinesisEndpoint", null),
        properties.seconds("shardDiscoverySeconds", 10),
        properties.seconds("pollIntervalSeconds", 1));
    StartingPosition start = StartingPosition.parse(properties.optional("startingPosition", "LATEST"));
    ExperimentTopology.Settings defaults = ExperimentTopology.Settings.defaults(
        new CatalogSource(properties.required("experiments")));
    ExperimentTopology.Settings settings = new ExperimentTopology.Settings(
        defaults.catalog(),
        properties.seconds("allowedLatenessSeconds", defaults.allowedLateness().toSeconds()),
        properties.seconds("emitIntervalSeconds", defaults.emitInterval().toSeconds()),
        properties.seconds("catalogRefreshSeconds", defaults.catalogRefresh().toSeconds()),
        defaults.recordIdMemory(),
        defaults.unitStateTtl(),
        defaults.idleShard(),
        generation(properties));
    ExperimentTopology.build(
        env,
        new KinesisShardSource(kinesis, start),
        new RedisFiguresSink(
            properties.required("redisUrl"),
            properties.optional("redisAuthSecretArn", null),
            properties.optional("keyPrefix", "exp")),
        settings);
    env.execute("experiment results");
  }

  static int generation(JobProperties properties) {
    String value = properties.optional("generation", "0");
    try {
      int generation = Integer.parseInt(value);
      if (generation >= 0) return generation;
    } catch (NumberFormatException error) {
      // Named below, as a negative number is.
    }
    throw new IllegalArgumentException("property generation must be a whole number from 0, got \"" + value + "\"");
  }

  /**
   * Locally the job's JVM outlives nothing: npm start holds its standard input, and when that closes (npm start
   * stopped, or killed outright) the job ends too.
   */
  private static void exitWhenStdinCloses() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is sent; the read returns only at the end of input.
        }
      } catch (java.io.IOException closed) {
        // The same as the end of input.
      }
      Runtime.getRuntime().halt(0);
    }, "exit-when-stdin-closes");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** The newest completed checkpoint under a checkpoint directory (a {@code chk-N} folder with its metadata). */
  static java.util.Optional<Path> newestCheckpoint(Path directory) throws java.io.IOException {
    if (!Files.isDirectory(directory)) return java.util.Optional.empty();
    try (var found = Files.find(directory, 3, (path, attributes) -> path.getFileName().toString().equals("_metadata"))) {
      return found
          .map(Path::getParent)
          .filter(path -> path.getFileName().toString().startsWith("chk-"))
          .max(java.util.Comparator.comparingLong(path -> path.toFile().lastModified()));
    }
  }
}
