import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../../lib/bundling';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents, writeTenantFile } from '../support/producer-harness';
import { mixedPayload } from '../support/sdk-payloads';

const STREAM = 'drain-test';

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"message":"events API listening".*?"url":"([^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`producer exited with ${code} before listening: ${output}`)));
  });
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
    const work = await mkdtemp(join(tmpdir(), 'drain-'));
    const bundle = join(work, 'producer.js');
    buildSync({ ...BUNDLE_OPTIONS, entryPoints: [ENTRY_POINTS.producer], outfile: bundle });
    const child = spawn(process.execPath, [bundle], {
      env: {
        ...process.env,
        STREAM_NAME: STREAM,
        PORT: '0',
        AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
        TENANT_CONFIG_FILE: await writeTenantFile(),
        SPILL_DIR: join(work, 'spill'),
        DRAIN_DEADLINE_SECONDS: '20',
        LINGER_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running = child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await waitForListening(child);

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
