import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeError, LocalFunction } from '../../local/lambda-function';

// A function written for these tests alone: it reports what Lambda's runtime contract says it should see.
const TEST_FUNCTION = `
let invocationsHere = 0;
exports.handler = async (event, context) => {
  invocationsHere++;
  const remainingAtStart = context.getRemainingTimeInMillis();
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.fail) { const error = new Error('asked to fail'); error.name = 'StoreUnavailable'; throw error; }
  if (event.log) console.log(event.log);
  return {
    greeting: process.env.GREETING,
    invocationsHere,
    remainingAtStart,
    remainingAtEnd: context.getRemainingTimeInMillis(),
    functionName: context.functionName,
    memoryLimitInMB: context.memoryLimitInMB,
  };
};`;

describe('a Lambda function on one machine', () => {
  let directory: string;
  let bundle: string;
  const functions: LocalFunction[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-function-'));
    bundle = join(directory, 'index.js');
    await writeFile(bundle, TEST_FUNCTION);
  });
  afterEach(async () => {
    await Promise.all(functions.splice(0).map((each) => each.stop()));
  });

  const localFunction = (concurrency = 2, timeoutSeconds = 3) => {
    const created = new LocalFunction({
      name: 'test-function',
      bundle,
      timeoutSeconds,
      memoryMb: 256,
      concurrency,
      logFile: join(directory, `${functions.length}.log`),
    });
    functions.push(created);
    return created;
  };
  type Answer = { greeting: string; invocationsHere: number; remainingAtStart: number; remainingAtEnd: number };

  it('gives each version its own variables and keeps an execution environment warm between invocations', async () => {
    const fn = localFunction();
    const first = fn.version('1', { GREETING: 'one' });
    const second = fn.version('2', { GREETING: 'two' });

    const answers = [(await first({})) as Answer, (await first({})) as Answer, (await second({})) as Answer];

    expect(answers.map((each) => [each.greeting, each.invocationsHere])).toEqual([
      ['one', 1],
      ['one', 2],
      ['two', 1],
    ]);
    expect(fn.stats).toMatchObject({ invocations: 3, coldStarts: 2, errors: 0 });
    expect(answers[0]).toMatchObject({ functionName: 'test-function', memoryLimitInMB: '256' });
  });

  it('counts the remaining time down from the timeout', async () => {
    const answer = (await localFunction(1, 3).invoke('1', {}, { sleepMs: 300 })) as Answer;

    expect(answer.remainingAtStart).toBeLessThanOrEqual(3_000);
    expect(answer.remainingAtStart).toBeGreaterThan(2_000);
    expect(answer.remainingAtStart - answer.remainingAtEnd).toBeGreaterThanOrEqual(290);
  });

  it('ends an invocation at the timeout and starts the next in a new execution environment', async () => {
    const fn = localFunction(1, 1);

    const timedOut = await fn.invoke('1', {}, { sleepMs: 5_000 }).catch((error: unknown) => error);
    const after = (await fn.invoke('1', {}, {})) as Answer;

    expect(timedOut).toBeInstanceOf(InvokeError);
    expect(timedOut).toMatchObject({ errorType: 'Sandbox.Timedout', throttled: false });
    expect(after.invocationsHere).toBe(1);
    expect(fn.stats).toMatchObject({ timeouts: 1, coldStarts: 2 });
  });

  it('throttles invocations beyond its concurrency, before running them', async () => {
    const fn = localFunction(2);

    const outcomes = await Promise.allSettled([1, 2, 3].map(() => fn.invoke('1', {}, { sleepMs: 300 })));

    const rejected = outcomes.filter((each) => each.status === 'rejected').map((each) => each.reason as InvokeError);
    expect(outcomes.filter((each) => each.status === 'fulfilled')).toHaveLength(2);
    expect(rejected.map((error) => [error.errorType, error.throttled])).toEqual([['TooManyRequestsException', true]]);
    expect(fn.stats).toMatchObject({ invocations: 2, throttles: 1, peakConcurrency: 2 });
  });

  it('returns a function error with its type and keeps the environment', async () => {
    const fn = localFunction();

    const failed = await fn.invoke('1', {}, { fail: true }).catch((error: unknown) => error);
    const after = (await fn.invoke('1', {}, {})) as Answer;

    expect(failed).toMatchObject({ errorType: 'StoreUnavailable', message: 'asked to fail', throttled: false });
    expect(after.invocationsHere).toBe(2);
  });

  it('refuses a request payload over 6 MB without running the function', async () => {
    const fn = localFunction();

    const refused = await fn.invoke('1', {}, { padding: 'x'.repeat(6 * 1024 * 1024) }).catch((error: unknown) => error);

    expect(refused).toMatchObject({ errorType: 'RequestEntityTooLargeException' });
    expect(fn.stats.invocations).toBe(0);
  });

  it('keeps what the function writes to stdout in its log file', async () => {
    const fn = localFunction();
    const line = `logged-${Date.now()}`;

    await fn.invoke('1', {}, { log: line });
    await fn.stop();
    functions.splice(functions.indexOf(fn), 1);

    expect(await readFile(join(directory, '0.log'), 'utf8')).toContain(line);
  });
});
