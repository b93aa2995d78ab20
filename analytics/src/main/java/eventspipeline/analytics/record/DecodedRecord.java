package eventspipeline.analytics.record;

import events.v1.Events.Envelope;
import events.v1.Events.Event;
import java.util.List;

/** One record's events, each with its envelope, and the producer's record id (hex; empty for the oldest records). */
public record DecodedRecord(String recordId, List<EnvelopedEvent> events) {
  public DecodedRecord {
    events = List.copyOf(events);
  }

  public record EnvelopedEvent(Envelope envelope, Event event) {}
}
