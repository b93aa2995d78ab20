package eventspipeline.analytics.support;

import com.google.protobuf.ByteString;
import events.v1.Events.ClickEvent;
import events.v1.Events.ContextKeys;
import events.v1.Events.CustomEvent;
import events.v1.Events.Endpoint;
import events.v1.Events.Envelope;
import events.v1.Events.Event;
import events.v1.Events.EventBatch;
import events.v1.Events.FeatureEvent;
import events.v1.Events.IdentifyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated traffic of one experiment as SDKs send it: exposures from server-side payloads, goals from browser
 * payloads, each event also described plainly for the oracle. Records are written in format 1, as the codec does.
 */
public final class ExperimentStream {
  public static final String ENVIRONMENT = "env-a";
  public static final String FLAG = "new-checkout";

  /** One event as the oracle sees it. {@code unit} is null for an event without a user context. */
  public record Sent(String kind, String unit, int variation, double value, boolean hasValue, long atMs, String eventId) {}

  /** An SDK payload: its envelope and events, and what they are to the oracle. */
  public record Payload(Envelope envelope, List<Event> events, List<Sent> sent) {
    public byte[] record(Random random) {
      byte[] recordId = new byte[16];
      random.nextBytes(recordId);
      EventBatch.Builder batch = EventBatch.newBuilder().setFormatVersion(1).setRecordId(ByteString.copyFrom(recordId));
      batch.addEnvelopes(envelope);
      events.forEach(batch::addEvents);
      return batch.build().toByteArray();
    }
  }

  private ExperimentStream() {}

  private static ContextKeys user(String unit) {
    return unit == null
        ? ContextKeys.newBuilder().putKeysByKind("org", "acme").build()
        : ContextKeys.newBuilder().putKeysByKind("user", unit).build();
  }

  public static final class PayloadBuilder {
    private final Envelope envelope;
    private final List<Event> events = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();

    public PayloadBuilder(String payloadId, Endpoint endpoint, long receivedAtMs) {
      envelope = Envelope.newBuilder()
          .setEnvironmentId(ENVIRONMENT)
          .setPayloadId(payloadId)
          .setReceivedAtMs(receivedAtMs)
          .setEndpoint(endpoint)
          .setSdkName(endpoint == Endpoint.ENDPOINT_CLIENT ? "JSClient" : "NodeJSClient")
          .build();
    }

    private String nextId() {
      return envelope.getPayloadId() + ":" + events.size();
    }

    public PayloadBuilder exposure(String unit, int variation, long atMs) {
      sent.add(new Sent("exposure", unit, variation, 0, false, atMs, nextId()));
      events.add(Event.newBuilder().setCreationDateMs(atMs).setPayloadPosition(events.size()).setFeature(
          FeatureEvent.newBuilder().setKey(FLAG).setVariation(variation).setValueJson(variation == 1 ? "true" : "false")
              .setReasonJson("{\"kind\":\"FALLTHROUGH\",\"inExperiment\":true}").setTrackEvents(true)
              .setContextKeys(user(unit))).build());
      return this;
    }

    public PayloadBuilder purchase(String unit, Double value, long atMs) {
      sent.add(new Sent("purchase", unit, -1, value == null ? 0 : value, value != null, atMs, nextId()));
      CustomEvent.Builder custom = CustomEvent.newBuilder().setKey("purchase").setContextKeys(user(unit));
      if (value != null) custom.setMetricValue(value);
      events.add(Event.newBuilder().setCreationDateMs(atMs).setPayloadPosition(events.size()).setCustom(custom).build());
      return this;
    }

    public PayloadBuilder click(String unit, long atMs) {
      sent.add(new Sent("click", unit, -1, 1, true, atMs, nextId()));
      events.add(Event.newBuilder().setCreationDateMs(atMs).setPayloadPosition(events.size()).setClick(
          ClickEvent.newBuilder().setKey("buy-button").setUrl("https://shop.example/cart").setContextKeys(user(unit)))
          .build());
      return this;
    }

    public PayloadBuilder identify(String unit, long atMs) {
      events.add(Event.newBuilder().setCreationDateMs(atMs).setPayloadPosition(events.size()).setIdentify(
          IdentifyEvent.newBuilder()).build());
      return this;
    }

    public boolean isEmpty() {
      return events.isEmpty();
    }

    public Payload build() {
      return new Payload(envelope, List.copyOf(events), List.copyOf(sent));
    }
  }
}
