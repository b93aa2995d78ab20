package eventspipeline.analytics.experiment;

/**
 * A change to an experiment's figures: one variation's totals moved (a unit exposed, a unit's metric value changed,
 * a crossover unit taken out), or an event was left out for a reason. The job-wide reasons (corrupt or resent
 * records) belong to {@link #JOB}.
 */
public record Change(
    String experimentId,
    int variation,
    String metric,
    long minuteMs,
    long units,
    long converted,
    double sum,
    double sumOfSquares,
    long crossoverUnits,
    String leftOutReason) {

  public static final String JOB = "job";
  /** The metric name under which a variation's exposed units are counted. */
  public static final String EXPOSED = "";

  public static Change exposed(String experimentId, int variation, long atMs, long units) {
    return new Change(experimentId, variation, EXPOSED, minuteOf(atMs), units, 0, 0, 0, 0, null);
  }

  public static Change metric(
      String experimentId, int variation, String metric, long atMs, long converted, double sum, double sumOfSquares) {
    return new Change(experimentId, variation, metric, minuteOf(atMs), 0, converted, sum, sumOfSquares, 0, null);
  }

  public static Change crossover(String experimentId) {
    return new Change(experimentId, -1, EXPOSED, 0, 0, 0, 0, 0, 1, null);
  }

  public static Change leftOut(String experimentId, String reason) {
    return new Change(experimentId, -1, EXPOSED, 0, 0, 0, 0, 0, 0, reason);
  }

  public static long minuteOf(long atMs) {
    return Math.floorDiv(atMs, 60_000L) * 60_000L;
  }
}
