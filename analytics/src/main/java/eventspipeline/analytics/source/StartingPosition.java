package eventspipeline.analytics.source;

import java.io.Serializable;

/** Where the job starts reading the shards that exist when it first starts: a replay starts at a past time. */
public record StartingPosition(Kind kind, long timestampMs) implements Serializable {
  public enum Kind {
    LATEST,
    TRIM_HORIZON,
    AT_TIMESTAMP
  }

  public static StartingPosition latest() {
    return new StartingPosition(Kind.LATEST, 0);
  }

  public static StartingPosition trimHorizon() {
    return new StartingPosition(Kind.TRIM_HORIZON, 0);
  }

  public static StartingPosition atTimestamp(long timestampMs) {
    return new StartingPosition(Kind.AT_TIMESTAMP, timestampMs);
  }

  /** LATEST, TRIM_HORIZON, or an ISO-8601 time such as 2026-12-04T10:00:00Z. */
  public static StartingPosition parse(String text) {
    return switch (text) {
      case "LATEST" -> latest();
      case "TRIM_HORIZON" -> trimHorizon();
      default -> {
        try {
          yield atTimestamp(java.time.Instant.parse(text).toEpochMilli());
        } catch (java.time.format.DateTimeParseException error) {
          throw new IllegalArgumentException(
              "the starting position must be LATEST, TRIM_HORIZON or an ISO-8601 time, got \"" + text + "\"", error);
        }
      }
    };
  }
}
