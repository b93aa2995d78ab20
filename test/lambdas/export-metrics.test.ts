import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DestinationState, Exporter } from '../../lambdas/exporter/exporter';
import { destinationReporter } from '../../lambdas/exporter/exporter-environment';
import { EmbeddedMetrics } from '../../local/embedded-metrics';

const NOW = 1_795_000_000_000;
const counters = (delivered: number, keptInBacklog: number) => ({
  delivered,
  keptInBacklog,
  deliveredFromBacklog: 0,
  droppedTooLarge: 0,
  droppedExpired: 0,
  throttledEntries: 0,
});

interface MetricDocument {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [member: string]: unknown;
}

// Powertools then prints through the global console, where the test reads what CloudWatch Logs would receive.
process.env.POWERTOOLS_DEV = 'true';
// Development mode turns metrics off unless told otherwise.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';

/** What the reporter prints, one JSON document per line. */
function printedDocuments(report: () => void): string {
  const written: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void written.push(`${line}\n`));
  try {
    report();
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('each export destination on a metric its alarms can read', () => {
  const states: DestinationState[] = [
    {
      id: 'acme',
      state: 'paused',
      reason: 'AccessDenied: not authorized to perform sts:AssumeRole',
      sinceMs: NOW - 60_000,
      backlogObjects: 2,
      oldestBacklogMs: NOW - 90_000,
      counters: counters(10, 4),
    },
    { id: 'globex', state: 'flowing', sinceMs: NOW - 60_000, backlogObjects: 0, counters: counters(25, 0) },
  ];
  const exporter = { destinationStates: () => states } as unknown as Exporter;

  it('publishes every figure of a destination in one document with that destination as dimension, as the EMF specification reads it', () => {
    // given
    const report = destinationReporter(
      new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'export-backlog' }),
      new Logger({ logLevel: 'SILENT' }),
      exporter,
      () => NOW,
    );

    // when
    const documents = printedDocuments(report)
      .split('\n')
      .filter((line) => line.includes('CloudWatchMetrics'))
      .map((line) => JSON.parse(line) as MetricDocument);

    // then: per the specification, a metric takes the dimensions its directive lists, from the document's members
    const figures = documents.flatMap((document) =>
      document._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Metrics.map((metric) => ({
          name: metric.Name,
          dimensions: directive.Dimensions.map((set) => Object.fromEntries(set.map((key) => [key, document[key]]))),
          value: document[metric.Name],
        })),
      ),
    );
    const of = (destination: string, name: string) =>
      figures.filter(
        (figure) =>
          figure.name === name &&
          figure.dimensions.some((set) => set.destination === destination && set.service === 'export-backlog'),
      );
    expect(of('acme', 'exportPaused').map((figure) => figure.value)).toEqual([1]);
    expect(of('acme', 'backlogAgeSeconds').map((figure) => figure.value)).toEqual([90]);
    expect(of('acme', 'delivered').map((figure) => figure.value)).toEqual([10]);
    expect(of('acme', 'keptInBacklog').map((figure) => figure.value)).toEqual([4]);
    expect(of('globex', 'exportPaused').map((figure) => figure.value)).toEqual([0]);
    expect(of('globex', 'delivered').map((figure) => figure.value)).toEqual([25]);
    expect(figures.filter((figure) => figure.dimensions.every((set) => !('destination' in set)))).toEqual([]);
    expect(documents.find((document) => document.destination === 'acme')).toMatchObject({
      state: 'paused',
      reason: 'AccessDenied: not authorized to perform sts:AssumeRole',
    });
  });

  it('reports counters as what they gained since the last report, and the local extractor sums them as CloudWatch does', () => {
    // given
    const report = destinationReporter(
      new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'exporter' }),
      new Logger({ logLevel: 'SILENT' }),
      exporter,
      () => NOW,
    );
    const extracted = new EmbeddedMetrics();

    // when: two reports, the destination having delivered 5 more between them
    extracted.write(printedDocuments(report));
    states[1] = { ...states[1]!, counters: counters(30, 0) };
    const second = printedDocuments(report);
    extracted.write(second.slice(0, 100));
    extracted.write(second.slice(100));

    // then
    expect(extracted.query('delivered', { destination: 'globex' }).map((point) => point.value)).toEqual([25, 5]);
    expect(extracted.sum('delivered', { destination: 'globex' })).toBe(30);
    expect(extracted.sum('delivered', { destination: 'acme' })).toBe(10);
    expect(extracted.query('exportPaused', { destination: 'acme' }).at(-1)).toMatchObject({
      value: 1,
      properties: { state: 'paused', service: 'exporter' },
    });
  });
});
