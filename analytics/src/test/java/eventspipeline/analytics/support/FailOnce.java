package eventspipeline.analytics.support;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that passes what it gets on to another and, once armed, fails its task at its next write: a task failure
 * the test causes mid-run (a stand-in for a crash, which cannot be provoked for real inside one JVM), after which
 * Flink restarts the job from its last checkpoint.
 */
public final class FailOnce<T> implements Sink<T> {
  /** Per test: 0 not armed, 1 armed, 2 failed. */
  private static final Map<String, AtomicInteger> STATES = new ConcurrentHashMap<>();
  private final Sink<T> inner;
  private final String name;

  public FailOnce(Sink<T> inner, String name) {
    this.inner = inner;
    this.name = name;
    STATES.put(name, new AtomicInteger());
  }

  public void arm() {
    STATES.get(name).compareAndSet(0, 1);
  }

  public boolean failed() {
    return STATES.get(name).get() == 2;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    SinkWriter<T> writer = inner.createWriter(context);
    AtomicInteger state = STATES.get(name);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) throws IOException, InterruptedException {
        if (state.compareAndSet(1, 2)) throw new IOException("the test's task failure");
        writer.write(element, context);
      }

      @Override
      public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writer.flush(endOfInput);
      }

      @Override
      public void close() throws Exception {
        writer.close();
      }
    };
  }
}
