package eventspipeline.analytics.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** How splits and the enumerator's state are written into checkpoints. */
final class SourceSerializers {
  private SourceSerializers() {}

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Writer writer) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      writer.write(out);
    }
    return buffer.toByteArray();
  }

  private static void writeNullable(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) out.writeUTF(value);
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void writeSet(DataOutputStream out, Set<String> values) throws IOException {
    out.writeInt(values.size());
    for (String value : values) out.writeUTF(value);
  }

  private static Set<String> readSet(DataInputStream in) throws IOException {
    int size = in.readInt();
    Set<String> values = new HashSet<>();
    for (int i = 0; i < size; i++) values.add(in.readUTF());
    return values;
  }

  static final class Splits implements SimpleVersionedSerializer<ShardSplit> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(ShardSplit split) throws IOException {
      return bytes(out -> {
        out.writeUTF(split.shardId());
        out.writeInt(split.parentShardIds().size());
        for (String parent : split.parentShardIds()) out.writeUTF(parent);
        out.writeUTF(split.start().kind().name());
        out.writeLong(split.start().timestampMs());
        writeNullable(out, split.afterSequenceNumber());
        out.writeBoolean(split.finished());
      });
    }

    @Override
    public ShardSplit deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) throw new IOException("unknown shard split version " + version);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        String shardId = in.readUTF();
        int parents = in.readInt();
        List<String> parentShardIds = new ArrayList<>(parents);
        for (int i = 0; i < parents; i++) parentShardIds.add(in.readUTF());
        StartingPosition start =
            new StartingPosition(StartingPosition.Kind.valueOf(in.readUTF()), in.readLong());
        return new ShardSplit(shardId, parentShardIds, start, readNullable(in), in.readBoolean());
      }
    }
  }

  static final class Enumerator implements SimpleVersionedSerializer<EnumeratorState> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(EnumeratorState state) throws IOException {
      return bytes(out -> {
        writeSet(out, state.assigned());
        writeSet(out, state.finished());
        writeSet(out, state.atStartingPosition());
      });
    }

    @Override
    public EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) throw new IOException("unknown enumerator state version " + version);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return new EnumeratorState(readSet(in), readSet(in), readSet(in));
      }
    }
  }
}
