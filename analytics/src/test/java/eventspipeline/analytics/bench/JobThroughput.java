package eventspipeline.analytics.bench;

import eventspipeline.analytics.ExperimentTopology;
import eventspipeline.analytics.experiment.CatalogSource;
import eventspipeline.analytics.record.RecordReader;
import eventspipeline.analytics.source.ShardRecord;
import eventspipeline.analytics.support.Collected;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.BufferedInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's CPU per event on records the bench packed (realistic corpus and experiment traffic), beside decoding
 * the same records alone in the same JVM: the job runs in a MiniCluster with parallelism 1, and its CPU is the sum
 * of its task threads' CPU time, sampled while they run (Flink's own services are left out).
 * Arguments: the records file (each record a 4-byte length and its bytes), the experiments file. Prints JSON.
 */
public final class JobThroughput {
  private static List<byte[]> read(String path) throws Exception {
    List<byte[]> records = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(path)))) {
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException end) {
          return records;
        }
        byte[] record = new byte[length];
        in.readFully(record);
        records.add(record);
      }
    }
  }

  /** The bench's records, by index, to a job in this JVM. */
  static final class RecordAt extends RichMapFunction<Long, ShardRecord> {
    private static final Map<String, List<byte[]>> LOADED = new ConcurrentHashMap<>();
    private final String path;
    private final long arrivalMs;
    private transient List<byte[]> records;

    RecordAt(String path, long arrivalMs) {
      this.path = path;
      this.arrivalMs = arrivalMs;
    }

    @Override
    public void open(OpenContext context) throws Exception {
      records = LOADED.computeIfAbsent(path, key -> {
        try {
          return read(key);
        } catch (Exception error) {
          throw new IllegalStateException(error);
        }
      });
    }

    @Override
    public ShardRecord map(Long index) {
      return new ShardRecord("shardId-000000000000", Long.toString(index), arrivalMs, records.get(index.intValue()));
    }
  }

  public static void main(String[] args) throws Exception {
    List<byte[]> records = read(args[0]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // decoding alone, the same records, three passes after one to warm the JIT
    long events = 0;
    for (byte[] record : records) events += RecordReader.read(record).events().size();
    long decodeStart = threads.getCurrentThreadCpuTime();
    int passes = 3;
    long decoded = 0;
    for (int pass = 0; pass < passes; pass++) {
      for (byte[] record : records) decoded += RecordReader.read(record).events().size();
    }
    double decodeSeconds = (threads.getCurrentThreadCpuTime() - decodeStart) / 1e9;
    if (decoded != events * passes) throw new IllegalStateException("the passes decoded different events");

    Map<Long, Long> taskCpu = new ConcurrentHashMap<>();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        for (long id : threads.getAllThreadIds()) {
          var info = threads.getThreadInfo(id);
          if (info == null) continue;
          String name = info.getThreadName();
          // Flink's task threads are named after their chained operators: "Source: …", "records to observations …".
          if (name.contains("(1/1)")) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) taskCpu.merge(id, cpu, Math::max);
          }
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }, "task-cpu-sampler");
    long arrival = System.currentTimeMillis();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    var stream = env.fromSequence(0, records.size() - 1)
        .map(new RecordAt(args[0], arrival), TypeInformation.of(ShardRecord.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<ShardRecord>forBoundedOutOfOrderness(Duration.ofMinutes(2))
            .withTimestampAssigner((record, previous) -> record.arrivalMs()));
    ExperimentTopology.attach(stream, new Collected<>("throughput"), new ExperimentTopology.Settings(
        new CatalogSource(args[1]), Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofMinutes(10),
        Duration.ofDays(1), Duration.ofDays(1), Duration.ofMinutes(1), 0));
    sampler.start();
    long wallStart = System.nanoTime();
    env.execute("throughput");
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    sampler.interrupt();
    sampler.join();
    double jobSeconds = taskCpu.values().stream().mapToLong(Long::longValue).sum() / 1e9;
    System.out.printf(java.util.Locale.ROOT,
        "{\"records\":%d,\"events\":%d,\"decodeEventsPerCpuSecond\":%d,\"jobEventsPerCpuSecond\":%d,"
            + "\"jobTaskCpuSeconds\":%.2f,\"jobWallSeconds\":%.2f}%n",
        records.size(), events, Math.round(events * passes / decodeSeconds), Math.round(events / jobSeconds),
        jobSeconds, wallSeconds);
  }
}
