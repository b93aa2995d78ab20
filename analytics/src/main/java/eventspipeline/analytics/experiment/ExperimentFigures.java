package eventspipeline.analytics.experiment;

import java.util.Map;

/**
 * An experiment iteration's figures as absolute values, keyed by cell: {@code variation:metric} in {@code totals}
 * (metric empty for exposed units), {@code minute:variation:metric} in {@code minutes} (each minute's own changes,
 * only those changed since the last emission). Writing them again changes nothing.
 */
public record ExperimentFigures(
    String experimentId,
    long emittedAtMs,
    Map<String, Totals> totals,
    Map<String, Totals> minutes,
    Map<String, Long> leftOut,
    long crossoverUnits) {

  public ExperimentFigures {
    totals = Map.copyOf(totals);
    minutes = Map.copyOf(minutes);
    leftOut = Map.copyOf(leftOut);
  }

  public static String cell(int variation, String metric) {
    return variation + ":" + metric;
  }
}
