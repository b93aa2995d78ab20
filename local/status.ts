import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFlag } from '../lambdas/flag-status/flag-status-reader';
import type { RunningProducer } from '../producer/producer';
import type { EventSourceRunner } from './event-source-runner';
import type { LocalArchive } from './local-archive';
import type { DestinationStatus } from './local-export';
import type { PipelineControls } from './pipeline-controls';
import { resultsPage } from './results-page';
import type { FolderTotals } from './local-state';

export interface StatusSources {
  readonly consumers: Record<string, EventSourceRunner>;
  readonly archive: LocalArchive;
  /** Each export destination's state, from its newest metrics. */
  readonly exportDestinations: () => DestinationStatus[];
  /** The pipeline, once it has started: replays, redrives and store reads go through it. */
  readonly pipeline: () => PipelineControls | undefined;
  /** What the data folder has taken over every run since it began. */
  readonly sinceFolderBegan: () => FolderTotals & { since: string };
}

// The events API reads every body as bytes; the control routes take small JSON objects.
function jsonBody(body: Buffer | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body?.toString('utf8') ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const badRequest = (reply: FastifyReply, error: unknown) =>
  reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });

const HISTORY_SECONDS = 120;

/** Per stage counters of the local pipeline, and a page that shows them live. */
export function statusPage(
  app: FastifyInstance,
  producer: () => RunningProducer | undefined,
  sources: StatusSources,
): void {
  const history: { at: number; eventsAccepted: number; eventsPut: number }[] = [];
  const sample = setInterval(() => {
    const counters = producer()?.metrics.counters;
    if (!counters) return;
    history.push({ at: Date.now(), eventsAccepted: counters.eventsAccepted, eventsPut: counters.eventsPut });
    if (history.length > HISTORY_SECONDS) history.shift();
  }, 1_000);
  sample.unref();
  app.addHook('onClose', () => clearInterval(sample));

  app.get('/status.json', async () => {
    const running = producer();
    const pipeline = sources.pipeline();
    const counters = running?.metrics.counters;
    const recordsPut = counters?.recordsPut ?? 0;
    return {
      api: {
        payloadsAccepted: counters?.payloadsAccepted ?? 0,
        eventsAccepted: counters?.eventsAccepted ?? 0,
        rejectedPayloads: Object.fromEntries(running?.metrics.rejectedPayloads ?? []),
        droppedEvents: Object.fromEntries(running?.metrics.droppedEvents ?? []),
        bufferBytes: running?.writer.bufferedBytes ?? 0,
      },
      stream: {
        records: recordsPut,
        bytes: counters?.bytesPut ?? 0,
        events: counters?.eventsPut ?? 0,
        putPayloadUnits: counters?.putPayloadUnits ?? 0,
        recordFill: Number((running?.metrics.fillRatio ?? 0).toFixed(4)),
      },
      sinceFolderBegan: sources.sinceFolderBegan(),
      consumers: Object.fromEntries(
        Object.entries(sources.consumers).map(([name, runner]) => [
          name,
          {
            processed: runner.stats.recordsProcessed,
            failed: runner.stats.recordsFailed,
            sentToFailureDestination: runner.stats.recordsSentToFailureDestination,
            lagRecords: Math.max(
              0,
              recordsPut - runner.stats.recordsProcessed - runner.stats.recordsSentToFailureDestination,
            ),
            iteratorAgeMs: Math.max(0, ...Object.values(runner.stats.iteratorAgeMs)),
            throttles: runner.stats.throttles,
            lastError: runner.stats.lastError ?? null,
          },
        ]),
      ),
      archive: { ...sources.archive.stats },
      exportDestinations: sources.exportDestinations(),
      functions: Object.fromEntries(
        Object.entries(pipeline?.functions ?? {}).map(([name, each]) => [name, { ...each.stats }]),
      ),
      replays: (await pipeline?.replayStatuses()) ?? [],
      history: history.map((point, i) => ({
        at: point.at,
        eventsPerSecond:
          i === 0
            ? 0
            : Math.round(
                ((point.eventsAccepted - history[i - 1]!.eventsAccepted) * 1000) / (point.at - history[i - 1]!.at),
              ),
      })),
    };
  });

  app.post<{ Body: Buffer }>('/local/replay', async (request, reply) => {
    const pipeline = sources.pipeline();
    if (!pipeline) return reply.code(503).send({ error: 'the local pipeline is still starting' });
    const { consumer, from } = jsonBody(request.body);
    if (typeof consumer !== 'string' || typeof from !== 'string' || Number.isNaN(Date.parse(from)))
      return badRequest(reply, 'the body must name a consumer and an ISO-8601 time: {"consumer": …, "from": …}');
    try {
      return reply.code(202).send(await pipeline.replayFrom(consumer, new Date(from)));
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.post<{ Body: Buffer }>('/local/redrive', async (request, reply) => {
    const pipeline = sources.pipeline();
    if (!pipeline) return reply.code(503).send({ error: 'the local pipeline is still starting' });
    const { consumer, dryRun } = jsonBody(request.body);
    if (typeof consumer !== 'string') return badRequest(reply, 'the body must name a consumer: {"consumer": …}');
    try {
      return await pipeline.redrive(consumer, dryRun === true);
    } catch (error) {
      return badRequest(reply, error);
    }
  });

  app.get('/local/stores', (_request, reply) => {
    const pipeline = sources.pipeline();
    return pipeline ? pipeline.stores : reply.code(503).send({ error: 'the local pipeline is still starting' });
  });

  // A flag's evaluations per variation over the last hour, read as `npm run query -- flag` reads them.
  app.get<{ Querystring: { environment?: string; flag?: string } }>('/status/flag', async (request, reply) => {
    const pipeline = sources.pipeline();
    const { environment, flag } = request.query;
    if (!environment || !flag) return badRequest(reply, 'query parameters environment and flag are required');
    if (!pipeline) return reply.code(503).send({ error: 'the local pipeline is still starting' });
    const now = Date.now();
    return readFlag(pipeline.redis, pipeline.keyPrefix, {
      environmentId: environment,
      flag,
      fromMs: now - 3_600_000,
      toMs: now,
    });
  });

  app.get('/status/experiments', async (_request, reply) => {
    const pipeline = sources.pipeline();
    if (!pipeline) return reply.code(503).send({ error: 'the local pipeline is still starting' });
    return { analytics: await pipeline.analyticsStatus() };
  });

  resultsPage(app, sources.pipeline);

  app.get('/status', (_request, reply) => reply.type('text/html; charset=utf-8').send(STATUS_HTML));
}

const STATUS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>events pipeline (local)</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 2rem; color: #1d2330; }
 h1 { font-size: 1.3rem; } h2 { font-size: 1rem; margin-top: 1.5rem; }
 table { border-collapse: collapse; } td, th { padding: .25rem .8rem; border-bottom: 1px solid #e3e6ec; text-align: right; }
 th:first-child, td:first-child { text-align: left; } .error { color: #b3261e; } svg { background: #f5f7fa; }
</style></head>
<body>
<h1>events pipeline, local</h1>
<p>SDK payloads → events API → Kinesis → contexts-indexer, flag-status, archive, exporter. Refreshed every second.</p>
<h2>throughput (events accepted per second, last two minutes)</h2>
<svg id="spark" width="600" height="80" role="img" aria-label="events per second"><polyline id="line" fill="none" stroke="#2463eb" stroke-width="2" points=""/></svg>
<div id="rate"></div>
<h2>events API and stream</h2><table id="api"><thead><tr><th></th><th>this run</th><th id="since">since the data folder began</th></tr></thead><tbody></tbody></table>
<h2>payloads refused, by reason</h2><p>Answered 4xx or 5xx: the SDK keeps or drops them, nothing was written.</p><table id="refused"><tbody></tbody></table>
<h2>events left out of accepted payloads, by reason</h2><p>The payload was answered 202 and its other events written; unknown kinds are ignored as LaunchDarkly's own service ignores them.</p><table id="left-out"><tbody></tbody></table>
<h2>consumers</h2><table id="consumers"><thead><tr><th>consumer</th><th>processed</th><th>failed</th><th>to failure destination</th><th>lag (records)</th><th>iterator age (ms)</th><th>throttles</th><th>last error</th></tr></thead><tbody></tbody></table>
<h2>functions</h2><p>Each consumer and the archive transform runs its deployable bundle in worker threads, one per execution environment; logs are in <code>.local/logs</code>.</p>
<table id="functions"><thead><tr><th>function</th><th>invocations</th><th>cold starts</th><th>throttles</th><th>timeouts</th><th>errors</th><th>peak concurrency</th></tr></thead><tbody></tbody></table>
<h2>archive</h2><table id="archive"></table>
<h2>export destinations</h2><p>Each environment's events to its owner's stream (here a second kinesalite). State and backlog as the functions' newest metrics say; the backlog drain runs every minute. Add one with <code>npm run export -- add --env local</code>.</p>
<table id="export"><thead><tr><th>destination</th><th>environment</th><th>stream</th><th>state</th><th>backlog age (s)</th><th>delivered</th><th>kept in backlog</th><th>delivered from backlog</th><th>dropped</th><th>reason</th></tr></thead><tbody></tbody></table>
<h2>experiments</h2><p>The experiment job (Flink, in a MiniCluster of its own) joins goals to the exposures they follow; definitions in <code>config/local-experiments.json</code>, read again every few seconds. <code>npm run query -- experiment KEY --env local --environment ENV</code> prints the same figures.</p>
<div id="analytics-job"></div>
<p>Statistics and charts over time: <a href="/experiments">the results page</a>.</p>
<table id="experiments"><thead><tr><th>experiment</th><th>variation</th><th>exposed units</th><th>metrics (converted, rate, mean per unit)</th></tr></thead><tbody></tbody></table>
<p id="experiments-health"></p>
<h2>replays</h2><p>Started with <code>npm run replay -- --env local --consumer flag-status --from=-10m</code>. A replay rebuilds from the start of its hour; reads switch to it once it has caught up.</p>
<table id="replays"><thead><tr><th>consumer</th><th>generation</th><th>rebuilds from</th><th>started</th><th>records re-read</th><th>read up to</th><th>state</th></tr></thead><tbody></tbody></table>
<h2>a flag's evaluations, last hour</h2>
<form id="flag-form">environment <input id="flag-environment" size="28"> flag <input id="flag-key" size="24"> <button>show</button></form>
<svg id="flag-chart" width="600" height="120" role="img" aria-label="evaluations per variation per minute"></svg>
<div id="flag-summary"></div>
<script>
const n = (value) => typeof value === 'number' ? value.toLocaleString('en-US') : value;
const rows = (table, entries) => { table.innerHTML = entries.map(([k, v]) => '<tr><th>' + k + '</th><td data-name="' + k + '">' + n(v) + '</td></tr>').join(''); };
const reasons = (table, counts) => {
  const entries = Object.entries(counts);
  table.querySelector('tbody').innerHTML = entries.length === 0 ? '<tr><td>none</td></tr>' :
    entries.map(([reason, count]) => '<tr data-reason="' + reason + '"><td>' + reason.replace(/_/g, ' ') + '</td><td>' + n(count) + '</td></tr>').join('');
};
async function refresh() {
  const status = await (await fetch('/status.json')).json();
  const total = status.sinceFolderBegan;
  document.getElementById('since').textContent = 'since the data folder began (' + total.since.slice(0, 16).replace('T', ' ') + ' UTC)';
  document.querySelector('#api tbody').innerHTML = [
    ['events accepted', status.api.eventsAccepted, total.eventsAccepted], ['payloads accepted', status.api.payloadsAccepted, total.payloadsAccepted],
    ['records written to the stream', status.stream.records, total.recordsPut], ['bytes written to the stream', status.stream.bytes, total.bytesPut],
    ['PUT payload units', status.stream.putPayloadUnits, ''], ['record fill', status.stream.recordFill, ''], ['buffer bytes', status.api.bufferBytes, '']]
    .map(([name, now, since]) => '<tr><th>' + name + '</th><td data-name="' + name + '">' + n(now) + '</td><td>' + n(since) + '</td></tr>').join('');
  reasons(document.getElementById('refused'), status.api.rejectedPayloads);
  reasons(document.getElementById('left-out'), status.api.droppedEvents);
  document.querySelector('#consumers tbody').innerHTML = Object.entries(status.consumers).map(([name, c]) =>
    '<tr data-consumer="' + name + '"><td>' + name + '</td><td class="processed">' + n(c.processed) + '</td><td>' + n(c.failed) + '</td><td>' + n(c.sentToFailureDestination) +
    '</td><td>' + n(c.lagRecords) + '</td><td>' + n(c.iteratorAgeMs) + '</td><td>' + n(c.throttles) + '</td><td class="error">' + (c.lastError || '') + '</td></tr>').join('');
  document.querySelector('#functions tbody').innerHTML = Object.entries(status.functions).map(([name, f]) =>
    '<tr><td>' + name + '</td><td>' + n(f.invocations) + '</td><td>' + n(f.coldStarts) + '</td><td>' + n(f.throttles) + '</td><td>' + n(f.timeouts) +
    '</td><td>' + n(f.errors) + '</td><td>' + n(f.peakConcurrency) + '</td></tr>').join('');
  rows(document.getElementById('archive'), [['files', status.archive.files], ['bytes', status.archive.bytes], ['lines', status.archive.lines], ['dropped records', status.archive.droppedRecords], ['failed records', status.archive.failedRecords], ['failed transform invocations', status.archive.failedInvocations]]);
  document.querySelector('#export tbody').innerHTML = status.exportDestinations.length === 0 ? '<tr><td>none in config/export-destinations.json for local</td></tr>' :
    status.exportDestinations.map((d) => '<tr data-destination="' + d.id + '"><td>' + d.id + '</td><td>' + d.environment + '</td><td>' + d.kind + ' ' + d.stream +
    '</td><td class="state">' + d.state + '</td><td>' + n(d.backlogAgeSeconds) + '</td><td class="delivered">' + n(d.delivered) + '</td><td>' + n(d.keptInBacklog) + '</td><td>' + n(d.deliveredFromBacklog) +
    '</td><td>' + n(d.droppedTooLarge + d.droppedExpired) + '</td><td class="error">' + (d.reason || '') + '</td></tr>').join('');
  document.querySelector('#replays tbody').innerHTML = status.replays.map((r) =>
    '<tr data-replay="' + r.consumer + '-' + r.generation + '"><td>' + r.consumer + '</td><td>' + r.generation + '</td><td>' + r.from + '</td><td>' + r.startedAt +
    '</td><td>' + n(r.recordsRead) + '</td><td>' + (r.readUpTo || '') + '</td><td class="state">' + (r.state === 'live' ? 'serving reads since ' + r.switchedAt : 'rebuilding') + '</td></tr>').join('');
  const analytics = (await (await fetch('/status/experiments')).json()).analytics;
  document.getElementById('analytics-job').textContent = analytics
    ? 'job ' + analytics.state + ', ' + n(analytics.recordsRead) + ' records read' + (analytics.watermarkAgeSeconds === null ? '' : ', event time ' + analytics.watermarkAgeSeconds + ' s behind now (the allowed lateness included)')
    : 'the experiment job does not run';
  const reports = analytics ? analytics.experiments : [];
  document.querySelector('#experiments tbody').innerHTML = reports.length === 0 ? '<tr><td>no figures yet</td></tr>' : reports.flatMap((e) => e.variations.map((v) =>
    '<tr data-experiment="' + e.experimentId + '" data-variation="' + v.variation + '"><td>' + e.experimentId + '</td><td>' + v.variation + '</td><td class="units">' + n(v.units) + '</td><td>' +
    Object.entries(v.metrics).map(([m, f]) => m + ': ' + n(f.converted) + ', ' + (f.conversionRate * 100).toFixed(2) + '%, ' + f.meanPerUnit.toFixed(3)).join(' · ') + '</td></tr>')).join('');
  document.getElementById('experiments-health').textContent = reports.map((e) => e.experimentId + ': ' + e.crossoverUnits + ' crossover units; left out: ' +
    (Object.entries(e.leftOut).map(([r, c]) => r.replace(/_/g, ' ') + ' ' + c).join(', ') || 'nothing')).join(' — ');
  if (flagQuery) await drawFlag();
  const points = status.history.map((p) => p.eventsPerSecond);
  const max = Math.max(1, ...points);
  document.getElementById('line').setAttribute('points', points.map((v, i) => (i * 600 / Math.max(1, points.length - 1)).toFixed(1) + ',' + (78 - v * 76 / max).toFixed(1)).join(' '));
  document.getElementById('rate').textContent = 'now ' + (points[points.length - 1] || 0) + ' events/s, peak ' + max;
}
let flagQuery;
const colors = ['#2463eb', '#e8710a', '#1e8e3e', '#a142f4', '#d93025'];
async function drawFlag() {
  const report = await (await fetch('/status/flag?' + flagQuery)).json();
  const minutes = Object.keys(report.perMinute || {}).map(Number).sort();
  const variations = [...new Set(minutes.flatMap((m) => Object.keys(report.perMinute[m])))].sort();
  const now = Date.now(), start = now - 3600000;
  const max = Math.max(1, ...minutes.flatMap((m) => Object.values(report.perMinute[m])));
  const x = (at) => ((at - start) * 600 / 3600000).toFixed(1), y = (v) => (118 - v * 114 / max).toFixed(1);
  document.getElementById('flag-chart').innerHTML = variations.map((variation, i) =>
    '<polyline data-variation="' + variation + '" fill="none" stroke-width="2" stroke="' + colors[i % colors.length] + '" points="' +
    minutes.map((m) => x(m) + ',' + y(report.perMinute[m][variation] || 0)).join(' ') + '"/>' +
    minutes.map((m) => '<circle data-variation="' + variation + '" r="3" fill="' + colors[i % colors.length] + '" cx="' + x(m) + '" cy="' + y(report.perMinute[m][variation] || 0) + '"/>').join('')).join('');
  const totals = variations.map((variation, i) => '<span style="color:' + colors[i % colors.length] + '">variation ' + variation + ': ' +
    minutes.reduce((sum, m) => sum + (report.perMinute[m][variation] || 0), 0) + '</span>');
  const last = report.last ? 'last evaluated ' + new Date(report.last.evaluatedAtMs).toISOString() + ' (variation ' + report.last.variation + ', version ' + report.last.version + ')' : 'no evaluation stored';
  document.getElementById('flag-summary').innerHTML = totals.join(' · ') + (totals.length ? ' · ' : '') + last + ', generation ' + report.liveGeneration;
}
document.getElementById('flag-form').addEventListener('submit', (e) => {
  e.preventDefault();
  flagQuery = new URLSearchParams({ environment: document.getElementById('flag-environment').value, flag: document.getElementById('flag-key').value });
  drawFlag();
});
refresh(); setInterval(refresh, 1000);
</script></body></html>`;
