import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, ENTRY_POINTS, EntryPointName } from '../lib/bundling';
import { INVOCATION_PAYLOAD_BYTES } from '../lambdas/shared/kinesis-batch';
import { EmbeddedMetrics } from './embedded-metrics';

/** The ARN a function (or one of its versions) has on one machine, as the context and failure records name it. */
export function localFunctionArn(name: string, version?: string): string {
  return `arn:aws:lambda:local:000000000000:function:${name}${version === undefined ? '' : `:${version}`}`;
}

export interface LocalFunctionOptions {
  readonly name: string;
  /** The deployable bundle: a CommonJS file exporting `handler`. */
  readonly bundle: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Invocations in flight at once, across every version; more are throttled, as with reserved concurrency. */
  readonly concurrency: number;
  /** Where the function's stdout and stderr go, as CloudWatch Logs would keep them. */
  readonly logFile: string;
}

/** Why an invocation did not return a response, in the terms Lambda's Invoke API uses. */
export class InvokeError extends Error {
  constructor(
    /** TooManyRequestsException, RequestEntityTooLargeException, Sandbox.Timedout, Runtime.ExitError, or the function's own. */
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }

  /** Lambda turned the invocation away before the function ran: a mapping retries it without counting an attempt. */
  get throttled(): boolean {
    return this.errorType === 'TooManyRequestsException';
  }
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  throttles: number;
  timeouts: number;
  errors: number;
  /** The most invocations that were in flight at once. */
  peakConcurrency: number;
}

interface ExecutionEnvironment {
  readonly worker: Worker;
  busy: boolean;
}

interface WorkerAnswer {
  readonly ok: boolean;
  /** The handler's result as JSON, as Lambda returns it. */
  readonly response?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
}

// Runs in each execution environment: loads the bundle once (the cold start), then one invocation at a time.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
let loaded;
parentPort.on('message', async ({ payload, deadlineMs, requestId }) => {
  try {
    loaded ??= require(workerData.bundle);
    const context = {
      functionName: workerData.functionName,
      functionVersion: workerData.version,
      invokedFunctionArn: workerData.functionArn,
      memoryLimitInMB: String(workerData.memoryMb),
      awsRequestId: requestId,
      logGroupName: '/aws/lambda/' + workerData.functionName,
      logStreamName: workerData.version,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    };
    const result = await loaded.handler(JSON.parse(payload), context);
    parentPort.postMessage({ ok: true, response: JSON.stringify(result === undefined ? null : result) });
  } catch (error) {
    parentPort.postMessage({ ok: false, errorType: (error && error.name) || 'Error', errorMessage: String((error && error.message) || error) });
  }
});`;

/**
 * A Lambda function on one machine: each execution environment is a worker thread with the version's environment
 * variables and the function's memory as its heap limit, handling one invocation at a time; the context's remaining
 * time counts down from the timeout, a timed-out environment is destroyed, and invocations beyond the concurrency
 * limit are throttled.
 */
export class LocalFunction {
  readonly stats: FunctionStats = {
    invocations: 0,
    coldStarts: 0,
    throttles: 0,
    timeouts: 0,
    errors: 0,
    peakConcurrency: 0,
  };
  /** The metrics its log lines carry, as CloudWatch would extract them. */
  readonly metrics = new EmbeddedMetrics();
  private readonly environments = new Map<string, ExecutionEnvironment[]>();
  private readonly log: WriteStream;
  private inFlight = 0;
  private requests = 0;

  constructor(private readonly options: LocalFunctionOptions) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.options.name;
  }

  /** A published version: its own environment variables, sharing the function's concurrency. */
  version(version: string, environment: Record<string, string>): (event: unknown) => Promise<unknown> {
    return (event) => this.invoke(version, environment, event);
  }

  async invoke(version: string, environment: Record<string, string>, event: unknown): Promise<unknown> {
    const payload = JSON.stringify(event);
    if (Buffer.byteLength(payload) > INVOCATION_PAYLOAD_BYTES)
      throw new InvokeError('RequestEntityTooLargeException', `${this.name}: request payload over 6 MB`);
    if (this.inFlight >= this.options.concurrency) {
      this.stats.throttles++;
      throw new InvokeError(
        'TooManyRequestsException',
        `${this.name}: rate exceeded (concurrency ${this.options.concurrency})`,
      );
    }
    this.inFlight++;
    this.stats.invocations++;
    this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.inFlight);
    const executionEnvironment = this.idleEnvironment(version) ?? this.newEnvironment(version, environment);
    executionEnvironment.busy = true;
    try {
      return await this.run(version, executionEnvironment, payload);
    } finally {
      executionEnvironment.busy = false;
      this.inFlight--;
    }
  }

  /** Destroys every execution environment, as a deleted function's are. */
  async stop(): Promise<void> {
    const workers = [...this.environments.values()].flat().map((each) => each.worker);
    this.environments.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private idleEnvironment(version: string): ExecutionEnvironment | undefined {
    return this.environments.get(version)?.find((each) => !each.busy);
  }

  private newEnvironment(version: string, environment: Record<string, string>): ExecutionEnvironment {
    this.stats.coldStarts++;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env: {
        AWS_LAMBDA_FUNCTION_NAME: this.name,
        AWS_LAMBDA_FUNCTION_VERSION: version,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.options.memoryMb),
        AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
        ...environment,
      },
      workerData: {
        bundle: this.options.bundle,
        functionName: this.name,
        functionArn: localFunctionArn(this.name, version),
        version,
        memoryMb: this.options.memoryMb,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
      stdout: true,
      stderr: true,
    });
    // As text, so a character split between two chunks is decoded whole.
    worker.stdout.setEncoding('utf8');
    worker.stdout.on('data', (chunk: string) => {
      this.log.write(chunk);
      this.metrics.write(chunk);
    });
    worker.stderr.on('data', (chunk: Buffer) => this.log.write(chunk));
    const created: ExecutionEnvironment = { worker, busy: false };
    const list = this.environments.get(version) ?? [];
    list.push(created);
    this.environments.set(version, list);
    return created;
  }

  private destroy(version: string, environment: ExecutionEnvironment): void {
    const list = this.environments.get(version) ?? [];
    this.environments.set(
      version,
      list.filter((each) => each !== environment),
    );
    void environment.worker.terminate();
  }

  private run(version: string, environment: ExecutionEnvironment, payload: string): Promise<unknown> {
    const timeoutMs = this.options.timeoutSeconds * 1000;
    const worker = environment.worker;
    return new Promise((resolve, reject) => {
      const fail = (error: InvokeError) => {
        cleanUp();
        this.stats.errors++;
        this.destroy(version, environment);
        reject(error);
      };
      const timer = setTimeout(() => {
        this.stats.timeouts++;
        fail(
          new InvokeError('Sandbox.Timedout', `Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`),
        );
      }, timeoutMs);
      const onMessage = (answer: WorkerAnswer) => {
        cleanUp();
        if (!answer.ok) {
          this.stats.errors++;
          reject(new InvokeError(answer.errorType ?? 'Error', answer.errorMessage ?? 'the function failed'));
        } else if (Buffer.byteLength(answer.response!) > INVOCATION_PAYLOAD_BYTES) {
          this.stats.errors++;
          reject(new InvokeError('Function.ResponseSizeTooLarge', `${this.name}: response payload over 6 MB`));
        } else resolve(JSON.parse(answer.response!));
      };
      const onError = (error: Error) => fail(new InvokeError('Runtime.ExitError', `${this.name}: ${error.message}`));
      const onExit = (code: number) =>
        fail(new InvokeError('Runtime.ExitError', `${this.name}: the runtime exited with code ${code}`));
      const cleanUp = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ payload, deadlineMs: Date.now() + timeoutMs, requestId: `local-${++this.requests}` });
    });
  }
}

/** Bundles a deployable entry point with the settings the stacks deploy it with; returns the file to load. */
export async function bundleEntryPoint(name: EntryPointName, directory: string): Promise<string> {
  const outfile = `${directory}/${name}/index.js`;
  await build({ ...BUNDLE_OPTIONS, entryPoints: [ENTRY_POINTS[name]], outfile });
  return outfile;
}
