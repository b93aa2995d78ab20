package eventspipeline.analytics.experiment;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Where the experiment definitions are: an {@code s3://bucket/key} object when deployed, a file locally. Read again
 * every refresh interval, so starting an experiment needs no redeploy of the job.
 */
public record CatalogSource(String location) implements Serializable {
  public ExperimentCatalog load() throws IOException {
    String text;
    if (location.startsWith("s3://")) {
      URI uri = URI.create(location);
      try (S3Client s3 = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).build()) {
        text = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(uri.getHost()).key(uri.getPath().substring(1)).build())
            .asString(StandardCharsets.UTF_8);
      }
    } else {
      text = Files.readString(Path.of(location));
    }
    try {
      return ExperimentCatalog.parse(text);
    } catch (IllegalArgumentException invalid) {
      throw new IOException(location + ": " + invalid.getMessage(), invalid);
    }
  }
}
