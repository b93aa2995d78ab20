import type { FastifyInstance } from 'fastify';
import type { RunningProducer } from '../producer/producer';
import type { EventSourceRunner } from './event-source-runner';
import type { LocalArchive } from './local-archive';

export interface StatusSources {
  readonly consumers: Record<string, EventSourceRunner>;
  readonly archive: LocalArchive;
}

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

  app.get('/status.json', () => {
    const running = producer();
    const counters = running?.metrics.counters;
    const recordsPut = counters?.recordsPut ?? 0;
    return {
      api: {
        payloadsAccepted: counters?.payloadsAccepted ?? 0,
        eventsAccepted: counters?.eventsAccepted ?? 0,
        rejectedPayloads: Object.fromEntries(running?.metrics.rejectedPayloads ?? []),
        bufferBytes: running?.writer.bufferedBytes ?? 0,
      },
      stream: {
        records: recordsPut,
        bytes: counters?.bytesPut ?? 0,
        events: counters?.eventsPut ?? 0,
        putPayloadUnits: counters?.putPayloadUnits ?? 0,
        recordFill: Number((running?.metrics.fillRatio ?? 0).toFixed(4)),
      },
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
            lastError: runner.stats.lastError ?? null,
          },
        ]),
      ),
      archive: { ...sources.archive.stats },
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
<p>SDK payloads → events API → Kinesis → contexts-indexer, flag-status, archive. Refreshed every second.</p>
<h2>throughput (events accepted per second, last two minutes)</h2>
<svg id="spark" width="600" height="80" role="img" aria-label="events per second"><polyline id="line" fill="none" stroke="#2463eb" stroke-width="2" points=""/></svg>
<div id="rate"></div>
<h2>events API and stream</h2><table id="api"></table>
<h2>consumers</h2><table id="consumers"><thead><tr><th>consumer</th><th>processed</th><th>failed</th><th>to failure destination</th><th>lag (records)</th><th>iterator age (ms)</th><th>last error</th></tr></thead><tbody></tbody></table>
<h2>archive</h2><table id="archive"></table>
<script>
const rows = (table, entries) => { table.innerHTML = entries.map(([k, v]) => '<tr><th>' + k + '</th><td data-name="' + k + '">' + v + '</td></tr>').join(''); };
async function refresh() {
  const status = await (await fetch('/status.json')).json();
  rows(document.getElementById('api'), [
    ['events accepted', status.api.eventsAccepted], ['payloads accepted', status.api.payloadsAccepted],
    ['rejected payloads', JSON.stringify(status.api.rejectedPayloads)], ['buffer bytes', status.api.bufferBytes],
    ['records in stream', status.stream.records], ['bytes in stream', status.stream.bytes],
    ['PUT payload units', status.stream.putPayloadUnits], ['record fill', status.stream.recordFill]]);
  document.querySelector('#consumers tbody').innerHTML = Object.entries(status.consumers).map(([name, c]) =>
    '<tr data-consumer="' + name + '"><td>' + name + '</td><td class="processed">' + c.processed + '</td><td>' + c.failed + '</td><td>' + c.sentToFailureDestination +
    '</td><td>' + c.lagRecords + '</td><td>' + c.iteratorAgeMs + '</td><td class="error">' + (c.lastError || '') + '</td></tr>').join('');
  rows(document.getElementById('archive'), [['files', status.archive.files], ['bytes', status.archive.bytes], ['lines', status.archive.lines], ['failed records', status.archive.failedRecords]]);
  const points = status.history.map((p) => p.eventsPerSecond);
  const max = Math.max(1, ...points);
  document.getElementById('line').setAttribute('points', points.map((v, i) => (i * 600 / Math.max(1, points.length - 1)).toFixed(1) + ',' + (78 - v * 76 / max).toFixed(1)).join(' '));
  document.getElementById('rate').textContent = 'now ' + (points[points.length - 1] || 0) + ' events/s, peak ' + max;
}
refresh(); setInterval(refresh, 1000);
</script></body></html>`;
