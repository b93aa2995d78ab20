/** One metric value as CloudWatch takes it from a log line in the embedded metric format. */
export interface MetricPoint {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestampMs: number;
  /** The line's other members (Powertools' metadata), as Logs Insights shows them beside the metric. */
  readonly properties: Readonly<Record<string, unknown>>;
}

interface EmbeddedMetricLine {
  readonly _aws?: {
    readonly Timestamp?: number;
    readonly CloudWatchMetrics?: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/**
 * The metrics a function's log lines carry, extracted as CloudWatch does for lines in the embedded metric format
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * the local stand-in for what the alarms and dashboards read.
 */
export class EmbeddedMetrics {
  private readonly points: MetricPoint[] = [];
  /** Sums since the start per metric and dimension set, kept beyond the points the window holds. */
  private readonly sums = new Map<string, { name: string; dimensions: Record<string, string>; sum: number }>();
  private partialLine = '';

  constructor(private readonly keepPoints = 10_000) {}

  /** Takes a chunk of a log as it is written; lines may be split across chunks. */
  write(chunk: string): void {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop()!;
    for (const line of lines) this.takeLine(line);
  }

  /** The newest points of the metric whose dimensions include those given, oldest first. */
  query(name: string, dimensions: Readonly<Record<string, string>> = {}): MetricPoint[] {
    return this.points.filter((point) => point.name === name && matches(point.dimensions, dimensions));
  }

  /** The sum of every value of the metric since the start, over the dimension sets that include those given. */
  sum(name: string, dimensions: Readonly<Record<string, string>> = {}): number {
    let sum = 0;
    for (const each of this.sums.values())
      if (each.name === name && matches(each.dimensions, dimensions)) sum += each.sum;
    return sum;
  }

  private takeLine(line: string): void {
    if (!line.includes('"CloudWatchMetrics"')) return;
    let parsed: EmbeddedMetricLine;
    try {
      parsed = JSON.parse(line) as EmbeddedMetricLine;
    } catch {
      return;
    }
    const directives = parsed._aws?.CloudWatchMetrics ?? [];
    const metricNames = new Set(directives.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
    const properties = Object.fromEntries(
      Object.entries(parsed).filter(([member]) => member !== '_aws' && !metricNames.has(member)),
    );
    for (const directive of directives) {
      for (const dimensionSet of directive.Dimensions) {
        const dimensions = Object.fromEntries(dimensionSet.map((key) => [key, String(parsed[key])]));
        for (const { Name } of directive.Metrics) {
          const raw = parsed[Name];
          for (const value of Array.isArray(raw) ? raw : [raw]) {
            if (typeof value !== 'number') continue;
            const key = `${Name}\n${JSON.stringify(dimensions)}`;
            const total = this.sums.get(key) ?? { name: Name, dimensions, sum: 0 };
            total.sum += value;
            this.sums.set(key, total);
            this.points.push({
              namespace: directive.Namespace,
              name: Name,
              value,
              dimensions,
              timestampMs: parsed._aws?.Timestamp ?? Date.now(),
              properties,
            });
          }
        }
      }
    }
    if (this.points.length > this.keepPoints) this.points.splice(0, this.points.length - this.keepPoints);
  }
}

const matches = (dimensions: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>) =>
  Object.entries(wanted).every(([key, value]) => dimensions[key] === value);
