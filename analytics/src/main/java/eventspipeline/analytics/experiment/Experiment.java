package eventspipeline.analytics.experiment;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One iteration of an experiment: a flag of an environment, the context kind randomized on, its metrics, the
 * variation treatments are compared with and the share of units each variation was allocated.
 */
public record Experiment(
    String environmentId,
    String key,
    String flag,
    String unitKind,
    int iteration,
    long iterationStartMs,
    int controlVariation,
    Map<Integer, Double> allocation,
    List<Metric> metrics)
    implements Serializable {

  public Experiment {
    allocation = Map.copyOf(allocation);
    metrics = List.copyOf(metrics);
  }

  /** Names the iteration in results and in keys: environment, experiment and iteration. */
  public String id() {
    return environmentId + "/" + key + "/" + iteration;
  }
}
