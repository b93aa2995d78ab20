import type { FastifyInstance } from 'fastify';
import type { PipelineControls } from './pipeline-controls';

/** The experiments' results page: each experiment's health checks, and per metric its estimates over time. */
export function resultsPage(app: FastifyInstance, pipeline: () => PipelineControls | undefined): void {
  app.get('/status/experiment-results', async (_request, reply) => {
    const running = pipeline();
    if (!running) return reply.code(503).send({ error: 'the local pipeline is still starting' });
    return { experiments: await running.experimentResults() };
  });
  app.get('/experiments', (_request, reply) => reply.type('text/html; charset=utf-8').send(RESULTS_HTML));
}

const RESULTS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>experiments (local)</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 2rem; color: #1d2330; }
 h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 2rem; } h3 { font-size: 1rem; }
 table { border-collapse: collapse; } td, th { padding: .25rem .8rem; border-bottom: 1px solid #e3e6ec; text-align: right; }
 th:first-child, td:first-child { text-align: left; } svg { background: #f5f7fa; }
 .check { display: inline-block; padding: .1rem .5rem; margin-right: .5rem; border-radius: .6rem; }
 .ok { background: #e6f4ea; color: #1e7e34; } .alarm { background: #fce8e6; color: #b3261e; font-weight: 600; }
</style></head>
<body>
<h1>experiments, local</h1>
<p>Figures from the experiment job, statistics per metric against the control, refreshed every two seconds. 95% intervals;
the p-value is fixed-horizon (read it once, at the planned size); the verdict is the sequential test's, valid at every look.</p>
<div id="experiments"><p>no figures yet</p></div>
<script>
const colors = ['#5f6368', '#2463eb', '#e8710a', '#1e8e3e', '#a142f4'];
const pct = (v) => (v * 100).toFixed(2) + '%';
const signed = (v) => (v >= 0 ? '+' : '') + (v * 100).toFixed(1) + '%';
function chart(metric) {
  const points = metric.points;
  if (points.length === 0) return '<p>no minutes yet</p>';
  const values = points.flatMap((p) => p.variations.flatMap((v) => [v.interval[0], v.interval[1]]));
  const low = Math.min(...values);
  const high = Math.max(...values, low + 1e-9);
  const x = (i) => (points.length === 1 ? 300 : (i * 580) / (points.length - 1) + 10).toFixed(1);
  const y = (v) => (150 - ((v - low) * 140) / Math.max(high - low, 1e-9)).toFixed(1);
  return '<svg width="600" height="160" role="img" data-metric="' + metric.key + '">' + points[0].variations.map((first, i) => {
    const color = colors[i % colors.length];
    const upper = points.map((p, j) => x(j) + ',' + y(p.variations[i].interval[1]));
    const lower = points.map((p, j) => x(j) + ',' + y(p.variations[i].interval[0])).reverse();
    return '<polygon class="interval" data-variation="' + first.variation + '" fill="' + color + '" fill-opacity="0.15" points="' + upper.concat(lower).join(' ') + '"/>' +
      '<polyline class="estimate" data-variation="' + first.variation + '" fill="none" stroke-width="2" stroke="' + color + '" points="' +
      points.map((p, j) => x(j) + ',' + y(p.variations[i].value)).join(' ') + '"/>';
  }).join('') + '</svg>';
}
function table(metric, control) {
  const rows = metric.variations.map((v, i) => {
    const c = v.comparison;
    const value = metric.kind === 'conversion' ? pct(v.estimate.value) : v.estimate.value.toFixed(3);
    const interval = metric.kind === 'conversion' ? pct(v.estimate.interval[0]) + ' – ' + pct(v.estimate.interval[1]) : v.estimate.interval[0].toFixed(3) + ' – ' + v.estimate.interval[1].toFixed(3);
    const lift = v.variation === control ? 'control' : c && c.lift !== null ? signed(c.lift) + ' (' + signed(c.liftInterval[0]) + ' – ' + signed(c.liftInterval[1]) + ')' : 'n/a';
    return '<tr data-variation="' + v.variation + '"><td style="color:' + colors[i % colors.length] + '">variation ' + v.variation + '</td><td>' + v.estimate.units +
      '</td><td>' + value + '</td><td>' + interval + '</td><td class="lift">' + lift + '</td><td>' + (c ? pct(c.probabilityToBeatControl) : '') +
      '</td><td>' + (c ? c.pValue.toFixed(4) : '') + '</td><td class="verdict">' + (v.verdict || '') + '</td></tr>';
  });
  return '<table><thead><tr><th>variation</th><th>units</th><th>' + (metric.kind === 'conversion' ? 'rate' : 'mean per unit') +
    '</th><th>95% interval</th><th>lift</th><th>P(beat control)</th><th>p-value</th><th>sequential verdict</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>';
}
async function refresh() {
  const { experiments } = await (await fetch('/status/experiment-results')).json();
  if (experiments.length === 0) return;
  document.getElementById('experiments').innerHTML = experiments.map(({ results, overTime }) => {
    const h = results.health;
    const checks = '<span class="check ' + (h.sampleRatio.mismatch ? 'alarm' : 'ok') + '" data-check="sample-ratio">sample ratio ' +
      (h.sampleRatio.mismatch ? 'MISMATCH' : 'ok') + ' (p ' + h.sampleRatio.pValue.toPrecision(3) + ')</span>' +
      '<span class="check ' + (h.crossoverUnits > 0 ? 'alarm' : 'ok') + '" data-check="crossover">' + h.crossoverUnits + ' crossover units</span>' +
      '<span class="check ' + (h.lateEvents > 0 ? 'alarm' : 'ok') + '" data-check="late">' + h.lateEvents + ' late events</span>';
    return '<section data-experiment="' + results.experimentId + '"><h2>' + results.experimentId + '</h2><p>' + checks + '</p>' +
      results.metrics.map((metric, m) => '<h3>' + metric.key + '</h3>' + table(metric, results.controlVariation) + chart(overTime[m])).join('') + '</section>';
  }).join('');
}
refresh(); setInterval(refresh, 2000);
</script>
</body></html>`;
