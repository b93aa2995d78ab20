package eventspipeline.analytics.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experiments that run, read from their definitions file: every problem is named by its experiment and field,
 * all at once, so a bad file is refused whole and the job keeps the catalog it had.
 */
public final class ExperimentCatalog {
  private static final Set<String> METRIC_KINDS = Set.of("conversion", "numeric", "click", "pageview");
  private final List<Experiment> experiments;
  private final Map<String, List<Experiment>> byFlag = new HashMap<>();
  private final Map<String, List<Experiment>> byGoal = new HashMap<>();

  public ExperimentCatalog(List<Experiment> experiments) {
    this.experiments = List.copyOf(experiments);
    for (Experiment experiment : experiments) {
      byFlag.computeIfAbsent(experiment.environmentId() + "\u0000" + experiment.flag(), k -> new ArrayList<>())
          .add(experiment);
      for (Metric metric : experiment.metrics()) {
        String goal = goalKey(experiment.environmentId(), goalKind(metric.kind()), metric.eventKey());
        if (!byGoal.getOrDefault(goal, List.of()).contains(experiment)) {
          byGoal.computeIfAbsent(goal, k -> new ArrayList<>()).add(experiment);
        }
      }
    }
  }

  public List<Experiment> experiments() {
    return experiments;
  }

  /** The experiments a feature event of this flag in this environment may expose a unit to. */
  public List<Experiment> exposedBy(String environmentId, String flag) {
    return byFlag.getOrDefault(environmentId + "\u0000" + flag, List.of());
  }

  /** The experiments that measure this goal event ({@code custom}, {@code click} or {@code pageview}). */
  public List<Experiment> measuredBy(String environmentId, String eventKind, String eventKey) {
    return byGoal.getOrDefault(goalKey(environmentId, eventKind, eventKey), List.of());
  }

  static String goalKind(Metric.Kind kind) {
    return switch (kind) {
      case CONVERSION, NUMERIC -> "custom";
      case CLICK -> "click";
      case PAGEVIEW -> "pageview";
    };
  }

  private static String goalKey(String environmentId, String eventKind, String eventKey) {
    return environmentId + "\u0000" + eventKind + "\u0000" + eventKey;
  }

  public static ExperimentCatalog parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException error) {
      throw new IllegalArgumentException("the experiments file is not JSON: " + error.getMessage(), error);
    }
    JsonNode list = root == null ? null : root.get("experiments");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("the experiments file must be an object with a list \"experiments\"");
    }
    List<String> problems = new ArrayList<>();
    List<Experiment> experiments = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Experiment experiment = experiment(list.get(i), "experiments[" + i + "]", problems);
      if (experiment != null && !ids.add(experiment.id())) {
        problems.add("experiments[" + i + "]: " + experiment.id() + " is defined twice");
      } else if (experiment != null) {
        experiments.add(experiment);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the experiments file is not valid:\n- " + String.join("\n- ", problems));
    }
    return new ExperimentCatalog(experiments);
  }

  private static String text(JsonNode node, String field, String at, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      problems.add(at + "." + field + " must be a non-empty string");
      return null;
    }
    return value.asText();
  }

  private static Experiment experiment(JsonNode node, String at, List<String> problems) {
    int before = problems.size();
    if (node == null || !node.isObject()) {
      problems.add(at + " must be an object");
      return null;
    }
    String environment = text(node, "environmentId", at, problems);
    String key = text(node, "key", at, problems);
    String flag = text(node, "flag", at, problems);
    String unitKind = text(node, "unitKind", at, problems);
    String started = text(node, "iterationStart", at, problems);
    long startMs = 0;
    if (started != null) {
      try {
        startMs = Instant.parse(started).toEpochMilli();
      } catch (DateTimeParseException error) {
        problems.add(at + ".iterationStart must be an ISO-8601 time such as 2026-12-01T00:00:00Z, got \"" + started + "\"");
      }
    }
    JsonNode iteration = node.get("iteration");
    if (iteration == null || !iteration.canConvertToInt() || iteration.asInt() < 1) {
      problems.add(at + ".iteration must be a whole number from 1");
    }
    JsonNode control = node.get("controlVariation");
    if (control == null || !control.canConvertToInt() || control.asInt() < 0) {
      problems.add(at + ".controlVariation must be a variation index from 0");
    }
    Map<Integer, Double> allocation = new HashMap<>();
    JsonNode shares = node.get("allocation");
    if (shares == null || !shares.isObject() || shares.isEmpty()) {
      problems.add(at + ".allocation must map each variation index to its share of units");
    } else {
      double total = 0;
      for (var entry : shares.properties()) {
        if (!entry.getKey().matches("\\d+") || !entry.getValue().isNumber() || entry.getValue().asDouble() <= 0) {
          problems.add(at + ".allocation." + entry.getKey() + " must be a variation index with a positive share");
        } else {
          allocation.put(Integer.parseInt(entry.getKey()), entry.getValue().asDouble());
          total += entry.getValue().asDouble();
        }
      }
      if (Math.abs(total - 1) > 1e-6) problems.add(at + ".allocation's shares must add up to 1, got " + total);
      if (control != null && !allocation.containsKey(control.asInt())) {
        problems.add(at + ".controlVariation " + control.asInt() + " is not in its allocation");
      }
    }
    List<Metric> metrics = new ArrayList<>();
    JsonNode metricList = node.get("metrics");
    if (metricList == null || !metricList.isArray() || metricList.isEmpty()) {
      problems.add(at + ".metrics must list at least one metric");
    } else {
      for (int m = 0; m < metricList.size(); m++) {
        String metricAt = at + ".metrics[" + m + "]";
        JsonNode metric = metricList.get(m);
        String metricKey = text(metric, "key", metricAt, problems);
        String kind = text(metric, "kind", metricAt, problems);
        if (kind != null && !METRIC_KINDS.contains(kind)) {
          problems.add(metricAt + ".kind must be one of conversion, numeric, click, pageview, got \"" + kind + "\"");
          kind = null;
        }
        String event = metric.hasNonNull("event") ? metric.get("event").asText() : metricKey;
        if (metricKey != null && kind != null) {
          metrics.add(new Metric(metricKey, Metric.Kind.valueOf(kind.toUpperCase()), event));
        }
      }
    }
    if (problems.size() > before) return null;
    return new Experiment(
        environment, key, flag, unitKind, iteration.asInt(), startMs, control.asInt(), allocation, metrics);
  }
}
