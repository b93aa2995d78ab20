import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { get } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './free-port';
import { localCacheDirectory, runningAsRoot } from './tool-cache';

/** The newest 2.x integration-test distribution on Maven Central that runs on Java 17 (3.x needs Java 21). */
export const OPENSEARCH_VERSION = '2.19.6';
const ARTIFACT = `org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip`;

export interface LocalOpenSearch {
  readonly url: string;
  /** The JVM's process id (the start script execs it): what benchmarks read its CPU time from. */
  readonly pid: number;
  stop(): Promise<void>;
}

function nobody(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'nobody']).toString()),
    gid: Number(execFileSync('id', ['-g', 'nobody']).toString()),
  };
}

function javaHome(): string {
  if (process.env.OPENSEARCH_JAVA_HOME) return process.env.OPENSEARCH_JAVA_HOME;
  const javac = execFileSync('readlink', ['-f', execFileSync('which', ['java']).toString().trim()])
    .toString()
    .trim();
  return javac.replace(/\/bin\/java$/, '');
}

/**
 * Fetches the distribution once with Maven (through ~/.m2, wherever Maven keeps it) and unpacks it into the local
 * cache, outside the repository.
 */
export function ensureOpenSearchDistribution(log: (line: string) => void = () => undefined): string {
  const home = join(localCacheDirectory(), `opensearch-${OPENSEARCH_VERSION}`);
  if (existsSync(join(home, 'bin', 'opensearch'))) return home;
  mkdirSync(localCacheDirectory(), { recursive: true });
  const staging = mkdtempSync(join(localCacheDirectory(), 'unpack-'));
  try {
    log(`fetching ${ARTIFACT} with Maven, once`);
    try {
      execFileSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${staging}`], {
        cwd: staging,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch (error) {
      throw new Error(
        `Maven could not fetch OpenSearch (${(error as Error).message.split('\n')[0]}): install Java 17 or newer and ` +
          'Maven (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), or set OPENSEARCH_URL to one that runs',
        { cause: error },
      );
    }
    execFileSync('unzip', ['-q', join(staging, `opensearch-${OPENSEARCH_VERSION}.zip`), '-d', staging]);
    if (runningAsRoot()) execFileSync('chown', ['-R', `${nobody().uid}:${nobody().gid}`, staging]);
    execFileSync('mv', [join(staging, `opensearch-${OPENSEARCH_VERSION}`), home]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

/** A GET without keep-alive, so no pooled socket outlives the wait. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`OpenSearch exited with ${child.exitCode} before it was healthy`);
    if ((await statusOf(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`OpenSearch at ${url} was not healthy within ${timeoutMs} ms`);
}

/** Nobody must reach the data folder through every folder above it; one closed to other users is named. */
function checkReachable(data: string, user: { uid: number; gid: number }): void {
  const reaches = (folder: string) => spawnSync('test', ['-x', folder], user).status === 0;
  if (reaches(data)) return;
  let closed = data;
  for (let folder = dirname(data); folder !== dirname(folder) && !reaches(folder); folder = dirname(folder)) {
    closed = folder;
  }
  throw new Error(
    `OpenSearch runs as nobody when started by root, and nobody cannot open ${closed} on the way to its data folder ` +
      `${data}: open it to other users (chmod o+x ${closed}) or keep the data elsewhere`,
  );
}

/**
 * Starts a single-node OpenSearch on 127.0.0.1 with its data in `dataDirectory` (kept) or a temporary folder
 * (removed at stop).
 */
export async function startLocalOpenSearch(
  options: { port?: number; heapMb?: number; log?: (line: string) => void; dataDirectory?: string } = {},
): Promise<LocalOpenSearch> {
  const home = ensureOpenSearchDistribution(options.log);
  const port = options.port ?? (await freePort());
  const user = runningAsRoot() ? nobody() : { uid: userInfo().uid, gid: userInfo().gid };
  const kept = options.dataDirectory && resolve(options.dataDirectory);
  if (kept) {
    mkdirSync(kept, { recursive: true });
    if (runningAsRoot()) checkReachable(kept, user);
  }
  const work = mkdtempSync(join(tmpdir(), 'opensearch-'));
  const data = kept || join(work, 'data');
  mkdirSync(data, { recursive: true });
  // Its JVM's temporary folder, which it would otherwise make in /tmp and leave there, goes with `work` at stop.
  const javaTemp = join(work, 'tmp');
  mkdirSync(javaTemp);
  if (runningAsRoot()) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, work, data]);
  const heap = options.heapMb ?? 512;
  const child = spawn(
    join(home, 'bin', 'opensearch'),
    [
      '-Ehttp.host=127.0.0.1',
      '-Etransport.host=127.0.0.1',
      `-Ehttp.port=${port}`,
      '-Ediscovery.type=single-node',
      `-Epath.data=${data}`,
      `-Epath.logs=${join(work, 'logs')}`,
      '-Ecluster.routing.allocation.disk.threshold_enabled=false',
    ],
    {
      ...user,
      env: {
        ...process.env,
        OPENSEARCH_JAVA_HOME: javaHome(),
        OPENSEARCH_JAVA_OPTS: `-Xms${heap}m -Xmx${heap}m`,
        OPENSEARCH_TMPDIR: javaTemp,
      },
      stdio: 'ignore',
      // A process group of its own: a terminal's Ctrl-C reaches npm start, which stops it after its clients.
      detached: true,
    },
  );
  // Stopped explicitly below; it must not keep the Node process that started it alive on its own, nor outlive it.
  child.unref();
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        let patience: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((resolve) => (patience = setTimeout(resolve, 5_000)))]);
        // A pending timer would keep the process (jest's included) alive after everything else has stopped.
        clearTimeout(patience);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
