import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { startProducer, RunningProducer } from '../../producer/producer';
import { ProducerConfig, readProducerConfig } from '../../producer/producer-config';
import { sha256Hex, TenantFile } from '../../producer/tenant-directory';

export const TEST_TENANTS = {
  healthy: {
    environmentId: 'env-healthy',
    sdkKey: 'sdk-healthy',
    mobileKey: 'mob-healthy',
    clientSideId: 'client-healthy',
  },
  limited: { environmentId: 'env-limited', sdkKey: 'sdk-limited' },
  disabled: { environmentId: 'env-disabled', sdkKey: 'sdk-disabled' },
};

export const testTenantFile: TenantFile = {
  defaultLimits: { eventsPerSecond: 1_000_000, bytesPerSecond: 1_000_000_000, burstSeconds: 1 },
  environments: [
    {
      id: TEST_TENANTS.healthy.environmentId,
      sdkKeySha256: [sha256Hex(TEST_TENANTS.healthy.sdkKey)],
      mobileKeySha256: [sha256Hex(TEST_TENANTS.healthy.mobileKey)],
      clientSideIds: [TEST_TENANTS.healthy.clientSideId],
    },
    {
      id: TEST_TENANTS.limited.environmentId,
      sdkKeySha256: [sha256Hex(TEST_TENANTS.limited.sdkKey)],
      // 20 events at once, then 2 a second: slow enough that timing on a busy machine cannot refill it mid-test.
      limits: { eventsPerSecond: 2, burstSeconds: 10 },
    },
    {
      id: TEST_TENANTS.disabled.environmentId,
      sdkKeySha256: [sha256Hex(TEST_TENANTS.disabled.sdkKey)],
      disabled: true,
    },
  ],
};

export async function writeTenantFile(file: TenantFile = testTenantFile): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'tenants-')), 'tenants.json');
  await writeFile(path, JSON.stringify(file));
  return path;
}

/** Settings for a producer under test: an ephemeral port, fast retries, a private spill folder. */
export async function testProducerConfig(
  streamName: string,
  overrides: Partial<ProducerConfig> = {},
): Promise<ProducerConfig> {
  return {
    ...readProducerConfig({ STREAM_NAME: streamName, PORT: '0' }),
    tenantConfig: { file: await writeTenantFile() },
    spillDirectory: await mkdtemp(join(tmpdir(), 'spill-')),
    retryBaseBackoffMs: 5,
    retryMaxBackoffMs: 50,
    lingerMs: 10,
    ...overrides,
  };
}

export async function startTestProducer(
  kinesis: KinesisClient,
  streamName: string,
  overrides: Partial<ProducerConfig> = {},
): Promise<RunningProducer> {
  return startProducer(await testProducerConfig(streamName, overrides), { kinesis, log: () => undefined });
}

export async function postEvents(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: TEST_TENANTS.healthy.sdkKey },
  path = '/bulk',
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-launchdarkly-event-schema': '4', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}
