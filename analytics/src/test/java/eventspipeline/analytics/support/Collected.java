package eventspipeline.analytics.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps what reaches it in this JVM (the MiniCluster runs the job in the test's own), under a name the
 * test chooses, so each test reads only its own.
 */
public final class Collected<T> implements Sink<T> {
  private static final Map<String, List<Object>> BY_NAME = new ConcurrentHashMap<>();
  private final String name;

  public Collected(String name) {
    this.name = name;
    BY_NAME.put(name, new CopyOnWriteArrayList<>());
  }

  @SuppressWarnings("unchecked")
  public List<T> values() {
    return (List<T>) (List<?>) BY_NAME.get(name);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> into = BY_NAME.get(name);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        into.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
