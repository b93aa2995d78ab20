import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents, TEST_TENANTS } from '../support/producer-harness';
import { ProducerProcess, startProducerProcess } from '../support/producer-process';
import { customEvent, featureEvent } from '../support/sdk-payloads';

const STREAM = 'memory-test';
const MIB = 1024 * 1024;
const BUFFER_MAX_MIB = 64;
const IN_FLIGHT_MAX_MIB = 64;
/**
 * A payload being unpacked exists several times over at its peak: the inflated buffer, its text as a string, the
 * objects JSON.parse makes of it and its protobuf encoding; the in-flight cap counts it once.
 */
const COPIES_IN_FLIGHT = 4;
/**
 * Node, the bundle, the retry window's ids and the collector's slack. The slack varies from run to run: the same test
 * peaked anywhere from 383 to 457 MiB in repeated runs on one machine, against a bound of 448 with 128 here.
 */
const BASE_MIB = 160;

function residentMib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('the producer process under memory pressure', () => {
  let kinesis: LocalKinesis;
  let producer: ProducerProcess | undefined;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 2);
  });

  afterAll(async () => {
    producer?.child.kill('SIGTERM');
    await producer?.exited;
    await kinesis.close();
  });

  it('stays under its caps plus a stated margin through 10,000 long payload ids and a burst of 20 MiB gzip bodies', async () => {
    // given
    producer = await startProducerProcess({
      STREAM_NAME: STREAM,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      BUFFER_MAX_MIB: String(BUFFER_MAX_MIB),
      IN_FLIGHT_MAX_MIB: String(IN_FLIGHT_MAX_MIB),
    });
    const pid = producer.child.pid!;
    let peak = residentMib(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, residentMib(pid))), 20);
    const auth = { authorization: TEST_TENANTS.healthy.sdkKey };

    try {
      // when: 10,000 payloads, each under its own 15 KB payload id, eight at a time
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
      let next = 0;
      const longIds = async () => {
        for (let i = next++; i < 10_000; i = next++) {
          const id = `${String(i).padStart(6, '0')}-${'x'.repeat(15_000)}`;
          count(
            (await postEvents(producer!.url, [featureEvent(i)], { ...auth, 'x-launchdarkly-payload-id': id })).status,
          );
        }
      };
      await Promise.all(Array.from({ length: 8 }, longIds));
      // and a burst of 20 gzip bodies, each expanding to 20 MiB of JSON
      const padding = 'p'.repeat(100_000);
      const huge = gzipSync(
        JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ ...customEvent(i), data: { padding } }))).padEnd(
          20 * MIB - 1,
          ' ',
        ),
      );
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => postEvents(producer!.url, huge, { ...auth, 'content-encoding': 'gzip' })),
      );
      burst.forEach((answer) => count(answer.status));

      // then
      expect(statuses.get(202)).toBeGreaterThan(10_000);
      expect([...statuses.keys()].every((status) => status === 202 || status === 503)).toBe(true);
      expect(peak).toBeLessThan(BUFFER_MAX_MIB + COPIES_IN_FLIGHT * IN_FLIGHT_MAX_MIB + BASE_MIB);
    } finally {
      clearInterval(sampler);
    }
  });
});
