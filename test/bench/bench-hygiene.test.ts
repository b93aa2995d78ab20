import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../support/run-script';

const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });

describe('benchmarks and the load generator, as a user runs them', () => {
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bench-hygiene-'));
  });

  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('ends the consumer bench within 30 s, naming the fix, when no Redis answers and none can be provided', async () => {
    // given: no REDIS_URL, and a PATH with no redis-server and no Python to fetch one with
    const started = Date.now();

    // when
    const { code, output } = await runScript('bench/run.ts', ['consumers'], {
      PATH: scratch,
      REDIS_URL: '',
      LOCAL_CACHE_DIR: join(scratch, 'cache'),
    });

    // then
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(code).toBe(1);
    expect(output).toMatch(/redis-server is not installed, and python3 could not make a virtual environment/);
    expect(output).toMatch(/install Redis .*or set REDIS_URL to a Redis that runs/);
    expect(output).not.toMatch(/Unhandled error event|\n\s+at /);
  }, 60_000);

  it('leaves the checkout as it was after the producer bench: it writes only where results go', async () => {
    // given
    const before = gitStatus();

    // when: a shortened run, writing its results to a folder of the test's
    const { code, output } = await runScript('bench/run.ts', ['producer'], {
      BENCH_SECONDS: '1',
      BENCH_RESULTS_DIR: scratch,
    });

    // then
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(gitStatus()).toBe(before);
    const measured = JSON.parse(await readFile(join(scratch, 'measured-producer.json'), 'utf8')) as {
      eventsPerCoreSecond: number;
      eventsPerPayload: number;
    };
    expect(measured.eventsPerCoreSecond).toBeGreaterThan(0);
    expect(measured.eventsPerPayload).toBeGreaterThan(1);
    expect(JSON.parse(await readFile(join(scratch, 'producer.json'), 'utf8'))).toHaveProperty('realistic');
  }, 180_000);

  it('writes the load progress as one line per five seconds to a pipe, and no carriage return', async () => {
    // given: an endpoint that takes every payload
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(202).end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      // when: twelve seconds of load, its output to a pipe
      const { code, output } = await runScript('scripts/load.ts', ['--rate', '200', '--duration', '12', '--url', url]);

      // then: progress at 5 and 10 s, then the summary line
      expect(code).toBe(0);
      expect(output).not.toContain('\r');
      const progress = output.split('\n').filter((line) => /^\d+s {2}payloads: sent/.test(line));
      expect(progress.map((line) => line.split(' ')[0])).toEqual(['5s', '10s', '12s']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
});
