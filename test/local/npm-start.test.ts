import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../../local/free-port';
import { chromiumPath } from '../support/test-prerequisites';
import { eventually } from '../support/eventually';
import { runScript } from '../support/run-script';
import type { ExperimentReport } from '../../lib/experiments/figures-reader';
import type { AnalyticsStatus } from '../../local/analytics-status';

const ROOT = join(__dirname, '..', '..');

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

/** The experiment's figures as `npm run query -- experiment` prints them; undefined while it has none. */
async function queriedFigures(url: string): Promise<ExperimentReport | undefined> {
  const { code, output } = await runScript('scripts/query.ts', [
    ...['experiment', 'new-checkout', '--env', 'local', '--environment', 'local-development', '--json'],
    ...['--url', url],
  ]);
  return code === 0 ? (JSON.parse(output) as { figures: ExperimentReport }).figures : undefined;
}

/** Posts events as the local environment's server SDK does, or, `fromBrowser`, as its browser SDK does. */
const post = (url: string, events: object[], fromBrowser = false) =>
  fetch(`${url}${fromBrowser ? '/events/bulk/local-development-client-side-id' : '/bulk'}`, {
    method: 'POST',
    headers: {
      ...(!fromBrowser && { Authorization: 'sdk-local-development-key' }),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(events),
  });

/** A server SDK's evaluation of the local experiment's flag that puts the unit in its treatment. */
const exposure = (unit: string, creationDate: number) => ({
  kind: 'feature',
  key: 'new-checkout',
  version: 3,
  variation: 1,
  value: true,
  default: false,
  reason: { kind: 'FALLTHROUGH', inExperiment: true },
  creationDate,
  context: { kind: 'user', key: unit },
});

describe('npm start, stopped with Ctrl-C', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child?.exitCode !== null || child.pid === undefined) return;
    // A test that failed midway still stops npm start as a user would, so it stops what it started.
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    let patience: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (patience = setTimeout(resolve, 30_000)))]);
    clearTimeout(patience);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it("counts an experiment's exposure and goal, shows a sample-ratio mismatch on the results page, then drains and stops its clients, the job and the Redis it started, writing nothing to stderr once the stop began", async () => {
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
    const posted = await post(url, [
      { kind: 'identify', creationDate: Date.now(), context: { kind: 'user', key: 'ctrl-c' } },
      {
        kind: 'summary',
        startDate: Date.now() - 1_000,
        endDate: Date.now(),
        features: { 'ctrl-c': { default: false, counters: [{ value: true, variation: 1, version: 1, count: 3 }] } },
      },
    ]);
    expect(posted.status).toBe(202);
    // and a unit exposed to the local experiment (a server SDK's evaluation), then its purchase (a browser's)
    const exposedAt = Date.now();
    const exposed = await post(url, [exposure('ctrl-c', exposedAt)]);
    const purchase = await post(
      url,
      [
        {
          kind: 'custom',
          key: 'purchase',
          creationDate: exposedAt + 1_000,
          context: { kind: 'user', key: 'ctrl-c' },
          metricValue: 20,
        },
      ],
      true,
    );
    expect([exposed.status, purchase.status]).toEqual([202, 202]);
    const report = await eventually(
      () => queriedFigures(url),
      (found) => (found?.variations.find((each) => each.variation === 1)?.metrics.revenue?.sum ?? 0) >= 20,
      120_000,
    );
    expect(report!.variations).toEqual([
      {
        variation: 1,
        units: 1,
        metrics: {
          purchase: { converted: 1, sum: 1, sumOfSquares: 1, conversionRate: 1, meanPerUnit: 1 },
          revenue: { converted: 1, sum: 20, sumOfSquares: 400, conversionRate: 1, meanPerUnit: 20 },
        },
      },
    ]);

    const table = await runScript('scripts/query.ts', [
      ...['experiment', 'new-checkout', '--env', 'local', '--environment', 'local-development', '--url', url],
    ]);
    expect(table.output).toMatch(/metric revenue \(mean per unit\):[\s\S]*\n {2}1 +1 {2}20\.000 /);
    expect(table.output).toMatch(/health: sample ratio ok/);
    // Flink refreshes the metrics its REST API serves every second here
    const analytics = await eventually(
      async () =>
        ((await (await fetch(`${url}/status/experiments`)).json()) as { analytics: AnalyticsStatus }).analytics,
      (status) => status.recordsRead >= 1,
      30_000,
    );
    expect(analytics.state).toBe('RUNNING');
    expect(analytics.experiments.map((each) => each.variations)).toEqual([report!.variations]);
    // and the results page, once fifteen more units are exposed to the treatment alone: a sample-ratio mismatch
    const skewed = await post(
      url,
      Array.from({ length: 15 }, (_, i) => exposure(`skewed-${i}`, Date.now())),
    );
    expect(skewed.status).toBe(202);
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/experiments`);
      const section = page.locator('section[data-experiment="local-development/new-checkout/1"]');
      await section.locator('[data-check="sample-ratio"].alarm').waitFor({ timeout: 60_000 });
      expect(await section.locator('[data-check="sample-ratio"]').textContent()).toMatch(/^sample ratio MISMATCH/);
      expect(await section.locator('tr[data-variation="1"] td').nth(1).first().textContent()).toBe('16');
      expect(await section.locator('svg[data-metric="revenue"] polyline.estimate').count()).toBe(2);
      expect(await section.locator('svg[data-metric="revenue"] polygon.interval').count()).toBe(2);
    } finally {
      await browser.close();
    }
    // and a replay of the experiment job from before the first exposure: its next generation rebuilds the same
    // figures from the stream, under keys of its own, and the job it replaced is stopped
    const storesBefore = (await (await fetch(`${url}/local/stores`)).json()) as { analyticsUrl: string };
    const replayed = await runScript('scripts/replay.ts', [
      ...['--env', 'local', '--consumer', 'experiments', '--from=-10m', '--url', url],
    ]);
    expect(replayed.output).toMatch(/replaying experiments on the local pipeline as generation 1/);
    expect(replayed.code).toBe(0);
    const rebuilt = await eventually(
      () => queriedFigures(url),
      (found) => found?.variations.find((each) => each.variation === 1)?.units === 16,
      120_000,
    );
    expect(rebuilt!.variations).toEqual([
      {
        ...report!.variations[0],
        units: 16,
        metrics: {
          purchase: { converted: 1, sum: 1, sumOfSquares: 1, conversionRate: 1 / 16, meanPerUnit: 1 / 16 },
          revenue: { converted: 1, sum: 20, sumOfSquares: 400, conversionRate: 1 / 16, meanPerUnit: 20 / 16 },
        },
      },
    ]);
    expect(await refusesConnections(Number(new URL(storesBefore.analyticsUrl).port))).toBe(true);
    const stores = (await (await fetch(`${url}/local/stores`)).json()) as {
      analyticsUrl: string;
      experimentKeyPrefix: string;
    };
    expect(stores.experimentKeyPrefix).toMatch(/:exp:g1$/);

    // when: Ctrl-C, which the terminal sends to the whole group
    stopping = true;
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;

    // then
    expect(output.stdout).toMatch(/draining and stopping everything this started…[\s\S]*\nstopped\n/);
    expect(output.stderrAfterStop).toBe('');
    expect(code).toBe(0);
    expect(await refusesConnections(redisPort)).toBe(true);
    expect(await refusesConnections(Number(new URL(stores.analyticsUrl).port))).toBe(true);
  }, 420_000);
});
