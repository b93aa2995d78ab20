package eventspipeline.analytics.experiment;

/** Why an event was left out of an experiment's figures: each is counted, and shown beside the results. */
public final class LeftOut {
  private LeftOut() {}

  /** A record no reader can use; set aside with its bytes. */
  public static final String CORRUPT_RECORD = "corrupt_record";
  /** A record the producer sent again (the same record id): its events count once. */
  public static final String RESENT_RECORD = "resent_record";
  /** An event an SDK sent again (the same payload id and position). */
  public static final String RESENT_EVENT = "resent_event";
  /** Dated before the watermark: later than the allowed lateness. */
  public static final String LATE = "late";
  /** Dated further after its arrival than clocks drift. */
  public static final String FUTURE_DATED = "future_dated";
  public static final String BEFORE_ITERATION = "before_iteration";
  /** Without a context of the experiment's unit kind. */
  public static final String NO_UNIT_CONTEXT = "no_unit_context";
  /** An exposure whose feature event names no variation. */
  public static final String NO_VARIATION = "no_variation";
  /** A numeric goal whose value is missing, NaN or infinite. */
  public static final String NOT_A_FINITE_VALUE = "not_a_finite_value";
  /** Any event of a unit exposed to more than one variation. */
  public static final String CROSSOVER = "crossover";
  /** A goal of a unit with no exposure before it, once no earlier exposure can still arrive. */
  public static final String GOAL_BEFORE_EXPOSURE = "goal_before_exposure";
}
