package eventspipeline.analytics.source;

/** A split's position while it is read: the sequence number of the last record handed on. */
final class ShardSplitState {
  private final ShardSplit split;
  private String afterSequenceNumber;

  ShardSplitState(ShardSplit split) {
    this.split = split;
    this.afterSequenceNumber = split.afterSequenceNumber();
  }

  void handedOn(String sequenceNumber) {
    afterSequenceNumber = sequenceNumber;
  }

  ShardSplit toSplit() {
    return split.readUpTo(afterSequenceNumber);
  }
}
