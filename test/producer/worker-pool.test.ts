import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spillDirectories } from '../../producer/worker-pool';
import { eventually } from '../support/eventually';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents } from '../support/producer-harness';
import { ProducerProcess, startProducerProcess } from '../support/producer-process';
import { mixedPayload } from '../support/sdk-payloads';

const STREAM = 'worker-pool-test';

const listeningPids = (producer: ProducerProcess): number[] =>
  [...producer.output().matchAll(/"message":"events API listening".*?"pid":(\d+)/g)].map((match) => Number(match[1]));

describe('the events API as one process per vCPU', () => {
  let kinesis: LocalKinesis;
  let producer: ProducerProcess | undefined;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 2);
  });

  afterAll(async () => {
    producer?.child.kill('SIGKILL');
    await kinesis.close();
  });

  it('serves one port from every worker, starts a killed one again, and drains them all on SIGTERM', async () => {
    // given: two workers behind one port
    producer = await startProducerProcess({
      STREAM_NAME: STREAM,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      WORKERS: '2',
    });
    const url = producer.url;
    await eventually(
      () => listeningPids(producer!),
      (pids) => pids.length === 2,
      20_000,
    );
    const [first, second] = listeningPids(producer);
    const accepted: number[] = [];
    const post = async (from: number) => {
      const payload = mixedPayload(from, 40);
      const answer = await postEvents(url, payload);
      expect(answer.status).toBe(202);
      accepted.push(...payload.map((event) => event.creationDate));
    };
    for (let batch = 0; batch < 10; batch++) await post(batch * 40);
    // a killed process loses what it holds in memory (a 202 means held by the writer), so the kill waits for the put
    await eventually(
      async () => (await kinesis.readAll(STREAM)).events.length,
      (count) => count === accepted.length,
    );

    // when: one worker dies, the pool keeps answering and starts it again
    process.kill(first!, 'SIGKILL');
    await eventually(
      () => listeningPids(producer!),
      (pids) => pids.length === 3,
      20_000,
    );
    for (let batch = 10; batch < 20; batch++) await post(batch * 40);
    producer.child.kill('SIGTERM');
    const exitCode = await producer.exited;

    // then
    expect(exitCode).toBe(0);
    expect(new Set(listeningPids(producer))).toEqual(new Set([first, second, listeningPids(producer)[2]]));
    expect(producer.output()).toContain('"message":"worker exited; starting it again on its spill folder"');
    const stored = (await kinesis.readAll(STREAM)).events.map((each) => Number(each.event.creationDateMs));
    expect(stored.sort((a, b) => a - b)).toEqual(accepted.sort((a, b) => a - b));
  });
});

describe('the spill folders a termination hands off', () => {
  it('are the configured folder and each worker’s in it, whatever the worker count was', async () => {
    // given
    const root = await mkdtemp(join(tmpdir(), 'spill-folders-'));
    await mkdir(join(root, 'worker-0'));
    await mkdir(join(root, 'worker-3'));
    await mkdir(join(root, 'quarantine'));
    await writeFile(join(root, 'worker-9'), 'a file, not a folder');

    // when
    const folders = await spillDirectories(root);

    // then
    expect(folders.sort()).toEqual([root, join(root, 'worker-0'), join(root, 'worker-3')].sort());
    expect(await spillDirectories(join(root, 'never-made'))).toEqual([join(root, 'never-made')]);
    await rm(root, { recursive: true });
  });
});
