package eventspipeline.analytics.source;

import java.util.Set;

/** Shards handed to a reader (their positions are the readers'), and shards read to their end. */
public record EnumeratorState(Set<String> assigned, Set<String> finished) {
  public EnumeratorState {
    assigned = Set.copyOf(assigned);
    finished = Set.copyOf(finished);
  }
}
