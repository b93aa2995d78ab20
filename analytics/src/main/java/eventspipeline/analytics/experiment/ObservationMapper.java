package eventspipeline.analytics.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import events.v1.Events.Context;
import events.v1.Events.ContextKeys;
import events.v1.Events.Envelope;
import events.v1.Events.Event;
import events.v1.Events.FeatureEvent;
import events.v1.Events.SingleContext;
import java.io.IOException;
import java.util.List;

/**
 * Turns one event into what it says about the experiments of its environment. An exposure is a feature event of an
 * experiment's flag whose reason says {@code inExperiment}: LaunchDarkly's SDKs set it exactly on evaluations that
 * fall in an experiment's allocation (and then send the full event), while {@code trackEvents} is also set for flags
 * tracked for debugging or auditing, outside any experiment. A goal is a custom, click or page-view event that one of
 * its metrics names.
 */
public final class ObservationMapper {
  /** Clocks drift: an event dated more than this after the API received it is taken as mis-dated. */
  public static final long FUTURE_TOLERANCE_MS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  public interface Sink {
    void observe(Observation observation);

    void leftOut(String experimentId, String reason);
  }

  private ObservationMapper() {}

  public static void map(ExperimentCatalog catalog, Envelope envelope, Event event, Sink sink) {
    String environment = envelope.getEnvironmentId();
    String eventId = envelope.getPayloadId() + ":" + event.getPayloadPosition();
    switch (event.getKindCase()) {
      case FEATURE -> {
        FeatureEvent feature = event.getFeature();
        List<Experiment> experiments = catalog.exposedBy(environment, feature.getKey());
        if (experiments.isEmpty() || !inExperiment(feature.getReasonJson())) return;
        Subject subject = feature.hasContext() ? new Subject(feature.getContext(), null) : new Subject(null, feature.getContextKeys());
        for (Experiment experiment : experiments) {
          String unit = usable(experiment, envelope, event, subject, sink);
          if (unit == null) continue;
          if (!feature.hasVariation()) {
            sink.leftOut(experiment.id(), LeftOut.NO_VARIATION);
            continue;
          }
          sink.observe(Observation.exposure(experiment.id(), unit, feature.getVariation(), event.getCreationDateMs(), eventId));
        }
      }
      case CUSTOM -> {
        var custom = event.getCustom();
        Subject subject = custom.hasContext() ? new Subject(custom.getContext(), null) : new Subject(null, custom.getContextKeys());
        Double value = custom.hasMetricValue() ? custom.getMetricValue() : null;
        goals(catalog, envelope, event, "custom", custom.getKey(), subject, value, eventId, sink);
      }
      case CLICK -> {
        var click = event.getClick();
        Subject subject = click.hasContext() ? new Subject(click.getContext(), null) : new Subject(null, click.getContextKeys());
        goals(catalog, envelope, event, "click", click.getKey(), subject, null, eventId, sink);
      }
      case PAGEVIEW -> {
        var pageview = event.getPageview();
        Subject subject =
            pageview.hasContext() ? new Subject(pageview.getContext(), null) : new Subject(null, pageview.getContextKeys());
        goals(catalog, envelope, event, "pageview", pageview.getKey(), subject, null, eventId, sink);
      }
      default -> {}
    }
  }

  private static void goals(
      ExperimentCatalog catalog,
      Envelope envelope,
      Event event,
      String eventKind,
      String eventKey,
      Subject subject,
      Double value,
      String eventId,
      Sink sink) {
    for (Experiment experiment : catalog.measuredBy(envelope.getEnvironmentId(), eventKind, eventKey)) {
      String unit = usable(experiment, envelope, event, subject, sink);
      if (unit == null) continue;
      for (Metric metric : experiment.metrics()) {
        if (!ExperimentCatalog.goalKind(metric.kind()).equals(eventKind) || !metric.eventKey().equals(eventKey)) continue;
        if (metric.kind() == Metric.Kind.NUMERIC && (value == null || !Double.isFinite(value))) {
          sink.leftOut(experiment.id(), LeftOut.NOT_A_FINITE_VALUE);
          continue;
        }
        double measured = metric.kind() == Metric.Kind.NUMERIC ? value : 1;
        sink.observe(Observation.goal(experiment.id(), unit, metric, measured, event.getCreationDateMs(), eventId));
      }
    }
  }

  /** The unit's key, when the event may count for the experiment at all; otherwise the reason is counted. */
  private static String usable(Experiment experiment, Envelope envelope, Event event, Subject subject, Sink sink) {
    long at = event.getCreationDateMs();
    if (at > envelope.getReceivedAtMs() + FUTURE_TOLERANCE_MS) {
      sink.leftOut(experiment.id(), LeftOut.FUTURE_DATED);
      return null;
    }
    if (at < experiment.iterationStartMs()) {
      sink.leftOut(experiment.id(), LeftOut.BEFORE_ITERATION);
      return null;
    }
    String unit = subject.keyOf(experiment.unitKind());
    if (unit == null || unit.isEmpty()) {
      sink.leftOut(experiment.id(), LeftOut.NO_UNIT_CONTEXT);
      return null;
    }
    return unit;
  }

  static boolean inExperiment(String reasonJson) {
    if (!reasonJson.contains("inExperiment")) return false;
    try {
      JsonNode reason = JSON.readTree(reasonJson);
      return reason != null && reason.path("inExperiment").asBoolean(false);
    } catch (IOException error) {
      return false;
    }
  }

  /** An event's subject: a full context, or only the keys by kind that server-side SDKs send. */
  private record Subject(Context context, ContextKeys keys) {
    String keyOf(String kind) {
      if (keys != null) return keys.getKeysByKindMap().get(kind);
      for (SingleContext single : context.getContextsList()) {
        if (single.getKind().equals(kind)) return single.getKey();
      }
      return null;
    }
  }
}
