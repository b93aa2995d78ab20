import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ANALYTICS_DIR, JOB_SOURCES } from '../lib/experiment-job';
import { freePort } from './free-port';

const CLASSES = join(ANALYTICS_DIR, 'target', 'classes');
const CLASSPATH_FILE = join(ANALYTICS_DIR, 'target', 'local-classpath.txt');

export interface LocalAnalyticsOptions {
  readonly streamName: string;
  readonly kinesisEndpoint: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly experimentsFile: string;
  readonly dataDirectory: string;
  readonly log: (line: string) => void;
  /** A replay's generation starts empty at its time, with checkpoints of its own. @default 0, from TRIM_HORIZON */
  readonly replay?: { readonly generation: number; readonly from: string };
}

export interface LocalAnalytics {
  /** Flink's REST API of the job's MiniCluster, on 127.0.0.1. */
  readonly restUrl: string;
  readonly logFile: string;
  /** The job's JVM: what a benchmark reads its CPU time from. */
  readonly pid: number;
  readonly running: () => boolean;
  stop(): Promise<void>;
}

const newestChange = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
};

/** Builds the job's classes and its classpath with Maven when they are missing or older than their sources. */
export function ensureAnalyticsBuild(log: (line: string) => void): void {
  const built = existsSync(CLASSPATH_FILE) && existsSync(CLASSES) ? statSync(CLASSPATH_FILE).mtimeMs : 0;
  // A change to anything the job is built from rebuilds it at the next start.
  if (built > Math.max(...JOB_SOURCES.map(newestChange))) return;
  log('analytics  building the experiment job with Maven (once, and after each change to it)');
  try {
    execFileSync(
      'mvn',
      [
        ...['-q', '-B', '-ntp', '-f', join(ANALYTICS_DIR, 'pom.xml'), 'compile', 'dependency:build-classpath'],
        `-Dmdep.outputFile=${CLASSPATH_FILE}`,
        // Flink itself is provided by the runtime when deployed; here the job's JVM is that runtime.
        '-DincludeScope=compile',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch (error) {
    throw new Error(
      `Maven could not build the experiment job (${(error as Error).message.split('\n')[0]}): ` +
        'npm run build:analytics shows why',
      { cause: error },
    );
  }
}

/**
 * The experiment job in a Flink MiniCluster, a JVM of its own: it reads the local stream with its own position
 * (checkpointed in the data folder, resumed at the next start) and writes experiment figures to Redis. Its process
 * group is its own, so Ctrl-C reaches npm start, which stops it.
 */
export async function startLocalAnalytics(options: LocalAnalyticsOptions): Promise<LocalAnalytics> {
  ensureAnalyticsBuild(options.log);
  const generation = options.replay?.generation ?? 0;
  const folder = join(options.dataDirectory, 'analytics', ...(generation === 0 ? [] : [`generation-${generation}`]));
  await mkdir(folder, { recursive: true });
  const restPort = await freePort();
  const properties = join(folder, 'job.json');
  await writeFile(
    properties,
    `${JSON.stringify(
      {
        streamName: options.streamName,
        region: 'us-east-1',
        kinesisEndpoint: options.kinesisEndpoint,
        startingPosition: options.replay?.from ?? 'TRIM_HORIZON',
        generation,
        // Kinesalite has no read limits to share: a quarter second keeps results fresh on the status page.
        pollIntervalSeconds: 0.25,
        experiments: resolve(options.experimentsFile),
        redisUrl: options.redisUrl,
        keyPrefix: options.keyPrefix,
        checkpointDirectory: join(folder, 'checkpoints'),
        checkpointIntervalSeconds: 5,
        emitIntervalSeconds: 2,
        catalogRefreshSeconds: 5,
        restPort,
        exitWhenStdinCloses: true,
      },
      null,
      2,
    )}\n`,
  );
  const logFile = join(options.dataDirectory, 'logs', 'experiment-job.log');
  await mkdir(join(options.dataDirectory, 'logs'), { recursive: true });
  const output = openSync(logFile, 'a');
  const classpath = [CLASSES, readFileSync(CLASSPATH_FILE, 'utf8').trim()].join(':');
  const job: ChildProcess = spawn(
    'java',
    [
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${join(ANALYTICS_DIR, 'log4j2-local.properties')}`,
      // kinesalite speaks JSON; the SDK's default CBOR is for Kinesis itself.
      '-Daws.cborEnabled=false',
      '-cp',
      classpath,
      'eventspipeline.analytics.ExperimentJob',
      '--properties',
      properties,
    ],
    // Its standard input is held open, so the job ends with npm start even if npm start is killed outright.
    { stdio: ['pipe', output, output], detached: true },
  );
  const orphaned = () => job.kill('SIGKILL');
  process.once('exit', orphaned);
  job.stdin!.on('error', () => undefined);
  const exited = new Promise<void>((resolveExit) => job.once('exit', () => resolveExit()));
  options.log(
    `analytics  the experiment job in a Flink MiniCluster (log ${logFile}, Flink ${`http://127.0.0.1:${restPort}`})`,
  );
  return {
    restUrl: `http://127.0.0.1:${restPort}`,
    logFile,
    pid: job.pid!,
    running: () => job.exitCode === null && job.signalCode === null,
    stop: async () => {
      process.off('exit', orphaned);
      if (job.exitCode !== null || job.signalCode !== null) return;
      job.stdin!.end();
      let patience: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolveWait) => (patience = setTimeout(resolveWait, 10_000)))]);
      clearTimeout(patience);
      if (job.exitCode === null && job.signalCode === null) job.kill('SIGKILL');
    },
  };
}
