import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';

export interface OpenSearchSettings {
  readonly url: string;
  /** Sign requests with the function's role (Amazon OpenSearch Service); otherwise plain or basic auth from the URL. */
  readonly sigv4Region?: string;
  readonly requestTimeoutMs?: number;
}

/** One client per container, with explicit timeouts; retries are the caller's, so each one is counted. */
export function openSearchClient(settings: OpenSearchSettings): Client {
  const signing = settings.sigv4Region
    ? AwsSigv4Signer({ region: settings.sigv4Region, service: 'es', getCredentials: defaultProvider() })
    : {};
  return new Client({
    ...signing,
    node: settings.url,
    requestTimeout: settings.requestTimeoutMs ?? 10_000,
    pingTimeout: 2_000,
    maxRetries: 0,
    compression: 'gzip',
  });
}
