import { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents } from '../support/producer-harness';
import { startProducerProcess } from '../support/producer-process';
import { mixedPayload } from '../support/sdk-payloads';
import { eventually } from '../support/eventually';

const STREAM = 'drain-test';

/** Eight clients post continuously; SIGTERM arrives after a second of it. */
async function terminateUnderLoad(child: ChildProcess, url: string, exited: Promise<number | null>) {
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
  return { exitCode, accepted, statuses };
}

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
    const { exitCode, accepted, statuses } = await terminateUnderLoad(child, url, exited);

    // then
    expect(exitCode).toBe(0);
    expect(statuses.get('202')).toBeGreaterThan(10);
    expect([...statuses.keys()].every((status) => ['202', '503', 'connection closed'].includes(status))).toBe(true);
    const stored = (await kinesis.readAll(STREAM)).events.map((e) => Number(e.event.creationDateMs));
    expect(stored.sort((a, b) => a - b)).toEqual(accepted.sort((a, b) => a - b));
  });

  it('spills everything it holds at the drain deadline when Kinesis is down, and the next start sends it once', async () => {
    // given: Kinesis unreachable behind a proxy in outage, and a drain deadline of two seconds
    const stream = 'drain-deadline-test';
    await kinesis.createStream(stream, 2);
    const proxy = await startFaultyKinesisProxy(kinesis.endpoint, 2);
    proxy.faults.outage = true;
    const spillDirectory = await mkdtemp(join(tmpdir(), 'drain-spill-'));
    const settings = { STREAM_NAME: stream, DRAIN_DEADLINE_SECONDS: '2', SPILL_DIR: spillDirectory };
    try {
      const first = await startProducerProcess({ ...settings, AWS_ENDPOINT_URL_KINESIS: proxy.endpoint });
      running = first.child;

      // when: terminated under load at the deadline, then started again with Kinesis back
      const { exitCode, accepted } = await terminateUnderLoad(first.child, first.url, first.exited);
      const second = await startProducerProcess({ ...settings, AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint });
      running = second.child;
      const stored = await eventually(
        async () => (await kinesis.readAll(stream)).events.map((e) => Number(e.event.creationDateMs)),
        (dates) => dates.length >= accepted.length,
      );
      second.child.kill('SIGTERM');
      await second.exited;

      // then: the drain spilled rather than lost, and every acknowledged event arrived once
      expect(exitCode).toBe(0);
      expect(accepted.length).toBeGreaterThan(0);
      expect(first.output()).toMatch(/"spilledAtDrain":[1-9]/);
      expect(stored.sort((a, b) => a - b)).toEqual(accepted.sort((a, b) => a - b));
    } finally {
      await proxy.close();
    }
  });
});
