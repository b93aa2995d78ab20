package eventspipeline.analytics.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import events.v1.Events.ClickEvent;
import events.v1.Events.Context;
import events.v1.Events.ContextKeys;
import events.v1.Events.CustomEvent;
import events.v1.Events.Envelope;
import events.v1.Events.Event;
import events.v1.Events.FeatureEvent;
import events.v1.Events.PageviewEvent;
import events.v1.Events.SingleContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationMapperTest {
  private static final long START = 1_795_000_000_000L;
  private static final ExperimentCatalog CATALOG = ExperimentCatalog.parse("""
      {"experiments": [{
        "environmentId": "env-a", "key": "checkout", "flag": "new-checkout", "unitKind": "user",
        "iteration": 2, "iterationStart": "2026-11-18T11:06:40Z", "controlVariation": 0,
        "allocation": {"0": 0.5, "1": 0.5},
        "metrics": [
          {"key": "purchase", "kind": "conversion"},
          {"key": "revenue", "kind": "numeric", "event": "purchase"},
          {"key": "cta", "kind": "click", "event": "buy-button"},
          {"key": "landing", "kind": "pageview", "event": "landing-page"}
        ]}]}""");
  private static final String ID = "env-a/checkout/2";

  private final List<Observation> observed = new ArrayList<>();
  private final List<String> leftOut = new ArrayList<>();
  private final ObservationMapper.Sink sink = new ObservationMapper.Sink() {
    @Override
    public void observe(Observation observation) {
      observed.add(observation);
    }

    @Override
    public void leftOut(String experimentId, String reason) {
      leftOut.add(experimentId + " " + reason);
    }
  };

  private static Envelope envelope(long receivedAtMs) {
    return Envelope.newBuilder().setEnvironmentId("env-a").setPayloadId("p1").setReceivedAtMs(receivedAtMs).build();
  }

  private static ContextKeys user(String key) {
    return ContextKeys.newBuilder().putKeysByKind("user", key).build();
  }

  private static Event feature(long at, String reason, Integer variation, ContextKeys keys) {
    FeatureEvent.Builder feature = FeatureEvent.newBuilder().setKey("new-checkout").setReasonJson(reason).setContextKeys(keys);
    if (variation != null) feature.setVariation(variation);
    return Event.newBuilder().setCreationDateMs(at).setPayloadPosition(4).setFeature(feature).build();
  }

  private void map(Event event, long receivedAtMs) {
    ObservationMapper.map(CATALOG, envelope(receivedAtMs), event, sink);
  }

  @Test
  void takesAFeatureEventInTheExperimentAsAnExposure() {
    map(feature(START + 10, "{\"kind\":\"FALLTHROUGH\",\"inExperiment\":true}", 1, user("u1")), START + 20);

    assertEquals(List.of(Observation.exposure(ID, "u1", 1, START + 10, "p1:4")), observed);
    assertEquals(List.of(), leftOut);
  }

  @Test
  void ignoresEvaluationsOutsideTheExperimentEvenWhenTracked() {
    map(feature(START + 10, "{\"kind\":\"FALLTHROUGH\"}", 1, user("u1")), START + 20);
    map(feature(START + 10, "{\"kind\":\"RULE_MATCH\",\"inExperiment\":false}", 1, user("u1")), START + 20);
    map(feature(START + 10, "", 1, user("u1")), START + 20);

    assertEquals(List.of(), observed);
    assertEquals(List.of(), leftOut);
  }

  @Test
  void countsEachReasonAnExposureIsLeftOut() {
    String in = "{\"inExperiment\":true}";
    map(feature(START - 1, in, 1, user("u1")), START);
    map(feature(START + 61_001, in, 1, user("u1")), START);
    map(feature(START + 10, in, 1, ContextKeys.newBuilder().putKeysByKind("org", "o1").build()), START + 20);
    map(feature(START + 10, in, null, user("u1")), START + 20);

    assertEquals(List.of(), observed);
    assertEquals(
        List.of(
            ID + " " + LeftOut.BEFORE_ITERATION,
            ID + " " + LeftOut.FUTURE_DATED,
            ID + " " + LeftOut.NO_UNIT_CONTEXT,
            ID + " " + LeftOut.NO_VARIATION),
        leftOut);
  }

  @Test
  void takesACustomEventAsEveryMetricItMeasures() {
    Event purchase = Event.newBuilder()
        .setCreationDateMs(START + 5)
        .setPayloadPosition(1)
        .setCustom(CustomEvent.newBuilder().setKey("purchase").setMetricValue(12.5).setContextKeys(user("u1")))
        .build();

    map(purchase, START + 6);

    Metric conversion = new Metric("purchase", Metric.Kind.CONVERSION, "purchase");
    Metric revenue = new Metric("revenue", Metric.Kind.NUMERIC, "purchase");
    assertEquals(
        List.of(
            Observation.goal(ID, "u1", conversion, 1, START + 5, "p1:1"),
            Observation.goal(ID, "u1", revenue, 12.5, START + 5, "p1:1")),
        observed);
  }

  @Test
  void leavesOutANumericGoalWithoutAFiniteValueButKeepsItsConversion() {
    for (Double value : new Double[] {null, Double.NaN, Double.POSITIVE_INFINITY}) {
      CustomEvent.Builder custom = CustomEvent.newBuilder().setKey("purchase").setContextKeys(user("u1"));
      if (value != null) custom.setMetricValue(value);
      map(Event.newBuilder().setCreationDateMs(START + 5).setCustom(custom).build(), START + 6);
    }

    assertEquals(3, observed.size());
    assertTrue(observed.stream().allMatch(each -> each.metric().equals("purchase")));
    assertEquals(List.of(
        ID + " " + LeftOut.NOT_A_FINITE_VALUE, ID + " " + LeftOut.NOT_A_FINITE_VALUE,
        ID + " " + LeftOut.NOT_A_FINITE_VALUE), leftOut);
  }

  @Test
  void takesBrowserClickAndPageViewGoalsWithTheUnitFromAMultiKindContext() {
    Context multi = Context.newBuilder()
        .addContexts(SingleContext.newBuilder().setKind("org").setKey("o1"))
        .addContexts(SingleContext.newBuilder().setKind("user").setKey("u7"))
        .build();
    map(Event.newBuilder().setCreationDateMs(START + 1).setClick(
        ClickEvent.newBuilder().setKey("buy-button").setContext(multi)).build(), START + 2);
    map(Event.newBuilder().setCreationDateMs(START + 1).setPageview(
        PageviewEvent.newBuilder().setKey("landing-page").setContext(multi)).build(), START + 2);
    map(Event.newBuilder().setCreationDateMs(START + 1).setPageview(
        PageviewEvent.newBuilder().setKey("buy-button").setContext(multi)).build(), START + 2);

    assertEquals(List.of("cta", "landing"), observed.stream().map(Observation::metric).toList());
    assertTrue(observed.stream().allMatch(each -> each.unitKey().equals("u7")));
  }

  @Test
  void refusesADefinitionsFileNamingEachProblem() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ExperimentCatalog.parse("""
        {"experiments": [{"environmentId": "env-a", "key": "k", "flag": "f", "unitKind": "user", "iteration": 0,
          "iterationStart": "yesterday", "controlVariation": 2, "allocation": {"0": 0.5, "1": 0.4},
          "metrics": [{"key": "m", "kind": "revenue"}]}]}"""));

    assertEquals(
        """
        the experiments file is not valid:
        - experiments[0].iterationStart must be an ISO-8601 time such as 2026-12-01T00:00:00Z, got "yesterday"
        - experiments[0].iteration must be a whole number from 1
        - experiments[0].allocation's shares must add up to 1, got 0.9
        - experiments[0].controlVariation 2 is not in its allocation
        - experiments[0].metrics[0].kind must be one of conversion, numeric, click, pageview, got "revenue\"""",
        refused.getMessage());
  }
}
