package eventspipeline.analytics.experiment;

import java.io.Serializable;

/**
 * What an experiment measures per unit. A conversion counts a unit once it sent the event; a numeric metric sums the
 * values the unit sent ({@code metricValue} of its custom events); click and page-view goals are conversions on a
 * browser SDK's goal events.
 */
public record Metric(String key, Kind kind, String eventKey) implements Serializable {
  public enum Kind {
    CONVERSION,
    NUMERIC,
    CLICK,
    PAGEVIEW
  }
}
