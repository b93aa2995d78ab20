package eventspipeline.analytics.record;

/** A record no reader can use: set aside and counted, never retried. The message says what is wrong with it. */
public final class CorruptRecordException extends Exception {
  public CorruptRecordException(String message) {
    super(message);
  }

  public CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
