import { ChildProcess } from 'node:child_process';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents } from '../support/producer-harness';
import { startProducerProcess } from '../support/producer-process';
import { mixedPayload } from '../support/sdk-payloads';

const STREAM = 'drain-test';

describe('the producer process draining on SIGTERM', () => {
  let kinesis: LocalKinesis;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 2);
  });

  afterAll(async () => {
    running?.kill('SIGKILL');
    await kinesis.close();
  });

  it('loses no acknowledged event through a drain under load, and exits 0', async () => {
    // given: the real entry point, bundled as it is deployed, in its own process
    const { child, url, exited } = await startProducerProcess({
      STREAM_NAME: STREAM,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      DRAIN_DEADLINE_SECONDS: '20',
      LINGER_MS: '200',
    });
    running = child;

    // when: eight clients post continuously; SIGTERM arrives mid-load
    const accepted: number[] = [];
    const statuses = new Map<string, number>();
    let sequence = 0;
    let stopped = false;
    const client = async () => {
      while (!stopped) {
        const payload = mixedPayload(sequence, 50);
        sequence += 50;
        const status = await postEvents(url, payload).then(
          (answer) => String(answer.status),
          () => 'connection closed',
        );
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === '202') accepted.push(...payload.map((event) => event.creationDate));
        if (status === 'connection closed') stopped = true;
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    child.kill('SIGTERM');
    const exitCode = await exited;
    stopped = true;
    await Promise.all(clients);

    // then
    expect(exitCode).toBe(0);
    expect(statuses.get('202')).toBeGreaterThan(10);
    expect([...statuses.keys()].every((status) => ['202', '503', 'connection closed'].includes(status))).toBe(true);
    const stored = (await kinesis.readAll(STREAM)).events.map((e) => Number(e.event.creationDateMs));
    expect(stored.sort((a, b) => a - b)).toEqual(accepted.sort((a, b) => a - b));
  });
});
