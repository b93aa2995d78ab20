package eventspipeline.analytics.source;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The stream and how to reach it. Deployed, the region's endpoint (over PrivateLink) with the application role's
 * credentials; locally, kinesalite's endpoint with any credentials.
 */
public record KinesisSettings(
    String streamName, String region, String endpoint, Duration discoveryInterval, Duration pollInterval)
    implements Serializable {

  public KinesisClient client() {
    var builder = KinesisClient.builder()
        .httpClientBuilder(ApacheHttpClient.builder())
        .region(Region.of(region))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(Duration.ofSeconds(10))
            .apiCallTimeout(Duration.ofSeconds(30))
            .build());
    if (endpoint == null) return builder.credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
    return builder
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }
}
