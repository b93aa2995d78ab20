package eventspipeline.analytics.record;

import com.github.luben.zstd.ZstdInputStream;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import events.v1.Events.Compression;
import events.v1.Events.Envelope;
import events.v1.Events.Event;
import events.v1.Events.EventBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a Kinesis record in either format the producer writes, as the TypeScript codec does: format 1 holds its
 * envelopes and events; format 2 holds them deflated (RFC 1951, no wrapper) in {@code compressed_batch}. Anything
 * unreadable is a {@link CorruptRecordException} naming why.
 */
public final class RecordReader {
  public static final int FORMAT_VERSION = 1;
  public static final int COMPRESSED_FORMAT_VERSION = 2;
  /** A reader inflates at most this much (the codec's MAX_BATCH_BYTES), so a crafted record cannot exhaust memory. */
  public static final int MAX_BATCH_BYTES = 1024 * 1024;

  private RecordReader() {}

  public static DecodedRecord read(byte[] record) throws CorruptRecordException {
    EventBatch outer = parse(ByteString.copyFrom(record), "record");
    EventBatch batch;
    if (outer.getFormatVersion() == FORMAT_VERSION) {
      batch = outer;
    } else if (outer.getFormatVersion() == COMPRESSED_FORMAT_VERSION) {
      batch = inflate(outer);
    } else {
      throw new CorruptRecordException(
          "record has format version " + outer.getFormatVersion() + "; this reader reads " + FORMAT_VERSION + " and "
              + COMPRESSED_FORMAT_VERSION);
    }
    List<DecodedRecord.EnvelopedEvent> events = new ArrayList<>(batch.getEventsCount());
    for (int position = 0; position < batch.getEventsCount(); position++) {
      Event event = batch.getEvents(position);
      if (event.getEnvelopeIndex() >= batch.getEnvelopesCount()) {
        throw new CorruptRecordException(
            "event " + position + " names envelope " + event.getEnvelopeIndex() + " but the record has "
                + batch.getEnvelopesCount());
      }
      if (event.getKindCase() == Event.KindCase.KIND_NOT_SET) {
        throw new CorruptRecordException("event " + position + " has no kind");
      }
      Envelope envelope = batch.getEnvelopes(event.getEnvelopeIndex());
      events.add(new DecodedRecord.EnvelopedEvent(envelope, event));
    }
    return new DecodedRecord(HexFormat.of().formatHex(outer.getRecordId().toByteArray()), events);
  }

  /**
   * The record id alone (hex; empty when the record has none or cannot be read), without reading its events: what
   * records are keyed by, so that a record sent twice meets itself.
   */
  public static String recordIdOf(byte[] record) {
    try {
      com.google.protobuf.CodedInputStream input = com.google.protobuf.CodedInputStream.newInstance(record);
      for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
        if (tag == (EventBatch.RECORD_ID_FIELD_NUMBER << 3 | 2)) return HexFormat.of().formatHex(input.readByteArray());
        if (!input.skipField(tag)) break;
      }
    } catch (java.io.IOException unreadable) {
      // Left to the full read, which names what is wrong with it.
    }
    return "";
  }

  private static EventBatch parse(ByteString bytes, String what) throws CorruptRecordException {
    try {
      return EventBatch.parseFrom(bytes);
    } catch (InvalidProtocolBufferException error) {
      throw new CorruptRecordException(what + " is not a readable EventBatch: " + error.getMessage(), error);
    }
  }

  private static EventBatch inflate(EventBatch record) throws CorruptRecordException {
    if (record.getCompression() == Compression.COMPRESSION_ZSTD) return decompressZstd(record);
    if (record.getCompression() != Compression.COMPRESSION_DEFLATE_RAW) {
      throw new CorruptRecordException(
          "record has compression " + record.getCompressionValue() + "; this reader reads deflate-raw and zstd");
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(record.getCompressedBatch().asReadOnlyByteBuffer());
      byte[] inflated = new byte[MAX_BATCH_BYTES];
      int length = 0;
      while (!inflater.finished()) {
        if (length == inflated.length) {
          throw new CorruptRecordException(
              "record's compressed batch inflates to more than " + MAX_BATCH_BYTES + " bytes");
        }
        int read = inflater.inflate(inflated, length, inflated.length - length);
        if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new CorruptRecordException("record's compressed batch does not inflate: it ends before its last block");
        }
        length += read;
      }
      return parse(ByteString.copyFrom(inflated, 0, length), "record's compressed batch");
    } catch (DataFormatException error) {
      throw new CorruptRecordException("record's compressed batch does not inflate: " + error.getMessage(), error);
    } finally {
      inflater.end();
    }
  }

  /** A zstd batch, read as a stream to at most MAX_BATCH_BYTES: its frame need not say how large it is. */
  private static EventBatch decompressZstd(EventBatch record) throws CorruptRecordException {
    byte[] decompressed = new byte[MAX_BATCH_BYTES];
    int length = 0;
    try (ZstdInputStream input = new ZstdInputStream(record.getCompressedBatch().newInput())) {
      for (int read; (read = input.read(decompressed, length, decompressed.length - length)) > 0; ) {
        length += read;
        if (length == decompressed.length && input.read() != -1) {
          throw new CorruptRecordException(
              "record's compressed batch decompresses to more than " + MAX_BATCH_BYTES + " bytes");
        }
      }
    } catch (IOException error) {
      throw new CorruptRecordException("record's compressed batch does not decompress: " + error.getMessage(), error);
    }
    return parse(ByteString.copyFrom(decompressed, 0, length), "record's compressed batch");
  }
}
