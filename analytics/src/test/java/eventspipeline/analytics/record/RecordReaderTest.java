package eventspipeline.analytics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import events.v1.Events.Compression;
import events.v1.Events.CustomEvent;
import events.v1.Events.Envelope;
import events.v1.Events.Event;
import events.v1.Events.EventBatch;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  /** The golden fixtures the TypeScript codec is tested against: the shared test vectors of the record format. */
  private static final Path FIXTURES = Path.of("..", "test", "fixtures");

  /** An entry as the TypeScript codec's test compares it: the event's kind, its envelope and the event itself. */
  record Canonical(String kind, Envelope envelope, Event event) {}

  /** The canonical form: protobuf's JSON mapping, the form the fixtures are written in, parsed back to messages. */
  private static List<Canonical> fixture(String path) throws Exception {
    List<Canonical> entries = new ArrayList<>();
    for (JsonNode entry : new ObjectMapper().readTree(FIXTURES.resolve(path).toFile())) {
      Envelope.Builder envelope = Envelope.newBuilder();
      JsonFormat.parser().merge(entry.get("envelope").toString(), envelope);
      Event.Builder event = Event.newBuilder();
      JsonFormat.parser().merge(entry.get("event").toString(), event);
      entries.add(new Canonical(entry.get("kind").asText(), envelope.build(), event.build()));
    }
    return entries;
  }

  private static List<Canonical> canonical(DecodedRecord record) {
    return record.events().stream()
        .map(each -> new Canonical(kindOf(each.event()), each.envelope(), each.event()))
        .toList();
  }

  /** The oneof field's JSON name, as the TypeScript codec names an event's kind. */
  private static String kindOf(Event event) {
    return Event.getDescriptor().findFieldByNumber(event.getKindCase().getNumber()).getJsonName();
  }

  @ParameterizedTest
  @ValueSource(strings = {"events-v1/record-v1", "events-v2/record-v2", "events-v2/record-v2-zstd"})
  void readsEachGoldenRecordToTheSameEventsAsTheTypeScriptCodec(String name) throws Exception {
    // given
    byte[] golden = Files.readAllBytes(FIXTURES.resolve(name + ".bin"));

    // when
    DecodedRecord decoded = RecordReader.read(golden);

    // then
    assertEquals(fixture(name + ".json"), canonical(decoded));
  }

  @Test
  void keepsTheRecordIdOutsideTheCompressedBatch() throws Exception {
    byte[] golden = Files.readAllBytes(FIXTURES.resolve("events-v2/record-v2.bin"));
    EventBatch outer = EventBatch.parseFrom(golden);

    assertEquals(32, RecordReader.read(golden).recordId().length());
    assertEquals(java.util.HexFormat.of().formatHex(outer.getRecordId().toByteArray()), RecordReader.read(golden).recordId());
  }

  private static byte[] deflated(byte[] bytes) {
    Deflater deflater = new Deflater(1, true);
    deflater.setInput(bytes);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) out.write(buffer, 0, deflater.deflate(buffer));
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] compressedRecord(byte[] inner) {
    return EventBatch.newBuilder()
        .setFormatVersion(2)
        .setCompression(Compression.COMPRESSION_DEFLATE_RAW)
        .setCompressedBatch(ByteString.copyFrom(deflated(inner)))
        .build()
        .toByteArray();
  }

  private static String refusal(byte[] record) {
    return assertThrows(CorruptRecordException.class, () -> RecordReader.read(record)).getMessage();
  }

  @Test
  void refusesEveryKindOfCorruptRecordNamingWhy() {
    byte[] oneEvent = EventBatch.newBuilder()
        .addEnvelopes(Envelope.newBuilder().setEnvironmentId("env"))
        .addEvents(Event.newBuilder().setCustom(CustomEvent.newBuilder().setKey("k")))
        .build()
        .toByteArray();
    byte[] compressed = compressedRecord(oneEvent);

    assertTrue(refusal(new byte[] {(byte) 0xff, 0x01, 0x02}).startsWith("record is not a readable EventBatch"));
    assertEquals(
        "record has format version 3; this reader reads 1 and 2",
        refusal(EventBatch.newBuilder().setFormatVersion(3).build().toByteArray()));
    assertEquals(
        "record has compression 0; this reader reads deflate-raw and zstd",
        refusal(EventBatch.newBuilder().setFormatVersion(2).build().toByteArray()));
    byte[] truncated = EventBatch.newBuilder()
        .setFormatVersion(2)
        .setCompression(Compression.COMPRESSION_DEFLATE_RAW)
        .setCompressedBatch(ByteString.copyFrom(deflated(oneEvent), 0, 4))
        .build()
        .toByteArray();
    assertTrue(refusal(truncated).startsWith("record's compressed batch does not inflate"));
    assertEquals(
        "record's compressed batch inflates to more than 1048576 bytes",
        refusal(compressedRecord(new byte[RecordReader.MAX_BATCH_BYTES + 1])));
    assertEquals(
        "event 0 names envelope 3 but the record has 0",
        refusal(EventBatch.newBuilder()
            .setFormatVersion(1)
            .addEvents(Event.newBuilder().setEnvelopeIndex(3).setCustom(CustomEvent.newBuilder().setKey("k")))
            .build()
            .toByteArray()));
    assertEquals(
        "event 0 has no kind",
        refusal(EventBatch.newBuilder()
            .setFormatVersion(1)
            .addEnvelopes(Envelope.getDefaultInstance())
            .addEvents(Event.newBuilder().setCreationDateMs(1))
            .build()
            .toByteArray()));
    assertTrue(refusal(compressedRecord(new byte[] {(byte) 0xff, 0x7f})).startsWith("record's compressed batch is not a readable EventBatch"));
  }

  private static byte[] zstdRecord(byte[] compressedBatch) {
    return EventBatch.newBuilder()
        .setFormatVersion(2)
        .setCompression(Compression.COMPRESSION_ZSTD)
        .setCompressedBatch(ByteString.copyFrom(compressedBatch))
        .build()
        .toByteArray();
  }

  @Test
  void refusesACorruptZstdRecordAsADeflatedOneIsRefused() {
    assertTrue(refusal(zstdRecord("not zstd".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .startsWith("record's compressed batch does not decompress"));
    assertEquals(
        "record's compressed batch decompresses to more than 1048576 bytes",
        refusal(zstdRecord(Zstd.compress(new byte[RecordReader.MAX_BATCH_BYTES + 1]))));
    assertTrue(refusal(zstdRecord(Zstd.compress(new byte[] {(byte) 0xff, 0x7f})))
        .startsWith("record's compressed batch is not a readable EventBatch"));
  }

  @Test
  void readsACompressedRecordItWrote() throws Exception {
    byte[] inner = EventBatch.newBuilder()
        .addEnvelopes(Envelope.newBuilder().setEnvironmentId("env-a").setPayloadId("p"))
        .addEvents(Event.newBuilder().setCreationDateMs(5).setCustom(CustomEvent.newBuilder().setKey("purchase")))
        .build()
        .toByteArray();

    DecodedRecord record = RecordReader.read(compressedRecord(inner));

    assertEquals(1, record.events().size());
    assertEquals("env-a", record.events().get(0).envelope().getEnvironmentId());
    assertEquals("purchase", record.events().get(0).event().getCustom().getKey());
  }
}
