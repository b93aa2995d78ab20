package eventspipeline.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eventspipeline.analytics.experiment.CatalogSource;
import eventspipeline.analytics.results.RedisFiguresSink;
import eventspipeline.analytics.source.KinesisSettings;
import eventspipeline.analytics.source.KinesisShardSource;
import eventspipeline.analytics.source.StartingPosition;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A replay deploys the job's next generation, and the application restores its latest snapshot with non-restored
 * state allowed: the new generation starts empty only if none of its operators has the identity of one before.
 * Flink restores an operator's state by the ID its uid hashes to; these are the IDs the job graph carries.
 */
class GenerationTest {
  private static Set<String> operatorIds(int generation) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ExperimentTopology.Settings defaults = ExperimentTopology.Settings.defaults(new CatalogSource("experiments.json"));
    ExperimentTopology.Settings settings = new ExperimentTopology.Settings(
        defaults.catalog(), defaults.allowedLateness(), defaults.emitInterval(), defaults.catalogRefresh(),
        defaults.recordIdMemory(), defaults.unitStateTtl(), defaults.idleShard(), generation);
    KinesisSettings kinesis =
        new KinesisSettings("events", "us-east-1", null, Duration.ofSeconds(10), Duration.ofSeconds(1));
    ExperimentTopology.build(
        env,
        new KinesisShardSource(kinesis, StartingPosition.latest()),
        new RedisFiguresSink("redis://127.0.0.1:6379", null, "exp"),
        settings);
    Set<String> ids = new HashSet<>();
    for (JobVertex vertex : env.getStreamGraph().getJobGraph().getVertices()) {
      for (OperatorIDPair pair : vertex.getOperatorIDs()) ids.add(pair.getGeneratedOperatorID().toHexString());
    }
    return ids;
  }

  @Test
  void aGenerationKeepsItsOperatorsIdentityAcrossDeploysAndANewOneSharesNone() {
    Set<String> first = operatorIds(0);
    Set<String> again = operatorIds(0);
    Set<String> replayed = operatorIds(2);

    assertEquals(first, again, "a deploy of the same generation restores every operator's state");
    assertTrue(first.size() >= 6, "the source, the three stateful steps and both sinks: " + first);
    Set<String> shared = new HashSet<>(first);
    shared.retainAll(replayed);
    assertEquals(Set.of(), shared, "no operator of the new generation finds state of the one before");
    assertEquals(first.size(), replayed.size());
  }
}
