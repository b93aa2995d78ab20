package eventspipeline.analytics.experiment;

/**
 * A variation's figures for one metric (or, under {@link Change#EXPOSED}, its exposed units): units, units that
 * converted, and the sum and sum of squares of the units' values, from which the statistics follow.
 */
public record Totals(long units, long converted, double sum, double sumOfSquares) {
  public static final Totals ZERO = new Totals(0, 0, 0, 0);

  public Totals plus(Change change) {
    return new Totals(
        units + change.units(),
        converted + change.converted(),
        sum + change.sum(),
        sumOfSquares + change.sumOfSquares());
  }
}
