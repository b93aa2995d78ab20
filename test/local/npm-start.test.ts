import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../local/free-port';
import { eventually } from '../support/eventually';

const ROOT = join(__dirname, '..', '..');

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

describe('npm start, stopped with Ctrl-C', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child?.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  });

  it('drains and stops its clients before the Redis it started, writing nothing to stderr once the stop began', async () => {
    // given: npm start in a process group of its own, as a terminal runs it, starting its own Redis
    const redisPort = await freePort();
    const output = { stdout: '', stderrAfterStop: '' };
    let stopping = false;
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'local/main.ts', '--memory'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', REDIS_URL: `redis://127.0.0.1:${redisPort}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stopping) output.stderrAfterStop += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const url = (await eventually(
      () => /^ready +(http:\/\/\S+)/m.exec(output.stdout)?.[1],
      (found) => found !== undefined || child!.exitCode !== null,
      120_000,
    ))!;
    expect(output.stdout).toContain(`redis-server started here`);
    const posted = await fetch(`${url}/bulk`, {
      method: 'POST',
      headers: { Authorization: 'sdk-local-development-key', 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { kind: 'identify', creationDate: Date.now(), context: { kind: 'user', key: 'ctrl-c' } },
        {
          kind: 'summary',
          startDate: Date.now() - 1_000,
          endDate: Date.now(),
          features: { 'ctrl-c': { default: false, counters: [{ value: true, variation: 1, version: 1, count: 3 }] } },
        },
      ]),
    });
    expect(posted.status).toBe(202);

    // when: Ctrl-C, which the terminal sends to the whole group
    stopping = true;
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;

    // then
    expect(output.stdout).toMatch(/draining and stopping everything this started…[\s\S]*\nstopped\n/);
    expect(output.stderrAfterStop).toBe('');
    expect(code).toBe(0);
    expect(await refusesConnections(redisPort)).toBe(true);
  }, 180_000);
});
