package eventspipeline.analytics.experiment;

/**
 * What one event says about one unit of one experiment: it was exposed to a variation, or it sent a goal. Keyed by
 * {@link #unitId()}; {@code eventId} (payload id and position) names the event however often it was sent.
 */
public record Observation(
    String experimentId,
    String unitKey,
    Kind kind,
    int variation,
    String metric,
    Metric.Kind metricKind,
    double value,
    long atMs,
    String eventId) {

  public enum Kind {
    EXPOSURE,
    GOAL
  }

  public static Observation exposure(String experimentId, String unitKey, int variation, long atMs, String eventId) {
    return new Observation(experimentId, unitKey, Kind.EXPOSURE, variation, "", null, 0, atMs, eventId);
  }

  public static Observation goal(
      String experimentId, String unitKey, Metric metric, double value, long atMs, String eventId) {
    return new Observation(experimentId, unitKey, Kind.GOAL, -1, metric.key(), metric.kind(), value, atMs, eventId);
  }

  public String unitId() {
    return experimentId + "\u0000" + unitKey;
  }
}
