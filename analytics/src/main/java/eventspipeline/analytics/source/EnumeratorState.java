package eventspipeline.analytics.source;

import java.util.Set;

/**
 * Shards handed to a reader (their positions are the readers'), shards read to their end, and shards of the first
 * listing not yet handed out, which start at the job's starting position (any shard found later is read whole).
 */
public record EnumeratorState(Set<String> assigned, Set<String> finished, Set<String> atStartingPosition) {
  public EnumeratorState {
    assigned = Set.copyOf(assigned);
    finished = Set.copyOf(finished);
    atStartingPosition = Set.copyOf(atStartingPosition);
  }
}
