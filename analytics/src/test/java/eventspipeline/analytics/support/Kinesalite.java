package eventspipeline.analytics.support;

import eventspipeline.analytics.source.KinesisSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesalite, the project's local Kinesis, run from the repository's node_modules with Node on 127.0.0.1, in memory.
 * The tests reach it with the AWS SDK for Java v2 as the job does.
 */
public final class Kinesalite implements AutoCloseable {
  private static final Path CLI = Path.of("..", "node_modules", "kinesalite", "cli.js");

  private final Process process;
  public final String endpoint;

  private Kinesalite(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static Kinesalite start() throws Exception {
    if (!Files.exists(CLI)) {
      throw new IllegalStateException("kinesalite is not installed at " + CLI + ": run npm ci in the repository first");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // kinesalite speaks JSON; the SDK's default CBOR is switched off for the tests' clients and the job's alike.
    System.setProperty("aws.cborEnabled", "false");
    Process process = new ProcessBuilder(
            "node", CLI.toString(), "--port", Integer.toString(port),
            "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "100")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return new Kinesalite(process, "http://127.0.0.1:" + port);
      } catch (IOException notYet) {
        if (!process.isAlive()) throw new IllegalStateException("kinesalite exited with " + process.exitValue());
        if (System.nanoTime() > deadline) throw new IllegalStateException("kinesalite did not listen within 20 s");
        Thread.sleep(50);
      }
    }
  }

  public KinesisSettings settings(String stream) {
    return new KinesisSettings(stream, "us-east-1", endpoint, Duration.ofMillis(500), Duration.ofMillis(250));
  }

  public KinesisClient client() {
    return settings("unused").client();
  }

  public void createStream(String stream, int shards) throws InterruptedException {
    try (KinesisClient kinesis = client()) {
      kinesis.createStream(request -> request.streamName(stream).shardCount(shards));
      while (kinesis.describeStream(request -> request.streamName(stream)).streamDescription().streamStatus()
          != StreamStatus.ACTIVE) {
        Thread.sleep(20);
      }
    }
  }

  public List<Shard> shards(String stream) {
    try (KinesisClient kinesis = client()) {
      return new ArrayList<>(kinesis.listShards(request -> request.streamName(stream)).shards());
    }
  }

  /** Writes one record and answers its sequence number. */
  public static String put(KinesisClient kinesis, String stream, String partitionKey, byte[] data) {
    return kinesis.putRecord(PutRecordRequest.builder()
            .streamName(stream)
            .partitionKey(partitionKey)
            .data(SdkBytes.fromByteArray(data))
            .build())
        .sequenceNumber();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
