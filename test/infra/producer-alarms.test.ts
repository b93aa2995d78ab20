import { Template } from 'aws-cdk-lib/assertions';
import { Prod } from '../../lib/config/environments';
import { cloudWatchAgentConfig } from '../../lib/constructs/producer-fleet';
import { eventually } from '../support/eventually';
import { freePort } from '../../local/free-port';
import { postEvents } from '../support/producer-harness';
import { ProducerProcess, startProducerProcess } from '../support/producer-process';
import { mixedPayload } from '../support/sdk-payloads';
import { synthPipeline } from '../support/synth';

interface WatchedMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/**
 * The metrics CloudWatch Logs extracts from one log line, read from the embedded metric format specification
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * each directive of `_aws.CloudWatchMetrics` gives a namespace, dimension sets (lists of keys whose values are the
 * line's top-level members) and metric names, and every metric is published once per dimension set.
 */
function extractedMetrics(line: string): WatchedMetric[] {
  const document = JSON.parse(line) as Record<string, unknown> & {
    _aws?: {
      CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
    };
  };
  return (document._aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
    directive.Dimensions.flatMap((keys) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        dimensions: Object.fromEntries(keys.map((key) => [key, String(document[key])])),
      })),
    ),
  );
}

const key = (metric: WatchedMetric) =>
  JSON.stringify([metric.namespace, metric.name, Object.entries(metric.dimensions).sort()]);

describe('the producer alarms', () => {
  let producer: ProducerProcess | undefined;

  afterAll(() => {
    producer?.child.kill('SIGKILL');
  });

  it('watch metrics the producer’s embedded-format lines really become', async () => {
    // given: the alarms on the producer's namespace, as deployed
    const ingest = Template.fromStack(synthPipeline(Prod).ingest);
    const alarms = Object.values(ingest.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] };
    }[];
    const watched = alarms
      .filter((alarm) => alarm.Properties.Namespace === 'EventsPipeline/Producer')
      .map((alarm) => ({
        namespace: alarm.Properties.Namespace!,
        name: alarm.Properties.MetricName!,
        dimensions: Object.fromEntries((alarm.Properties.Dimensions ?? []).map((each) => [each.Name, each.Value])),
      }));
    expect(watched.map((metric) => metric.name).sort()).toEqual([
      'bufferFillPercent',
      'payloadsRejected',
      'putRequestErrors',
      'recordsSpilled',
    ]);

    // when: the producer runs with Kinesis out of reach and a one-MiB buffer, until it refuses a payload as full
    producer = await startProducerProcess({
      STREAM_NAME: 'never-reached',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // Kinesis where nothing listens: the producer can never put, so its buffer fills
      AWS_ENDPOINT_URL_KINESIS: `http://127.0.0.1:${await freePort()}`,
      BUFFER_MAX_MIB: '1',
      PUT_MAX_ATTEMPTS: '100',
      METRICS_INTERVAL_SECONDS: '1',
      // the test setup silences metrics for every other test; this one reads them
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const url = producer.url;
    await eventually(
      async () => {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => postEvents(url, mixedPayload(i * 50, 50)).then((a) => a.status)),
        );
        return answers.join(',');
      },
      (statuses) => statuses.includes('503'),
    );
    const lines = await eventually(
      () =>
        producer!
          .output()
          .split('\n')
          .filter((line) => line.includes('"payloadsRejected"')),
      (found) => found.length > 0,
    );

    // then: every alarm's namespace, metric name and dimensions are among what CloudWatch Logs extracts
    const published = new Set(
      producer
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
        .flatMap(extractedMetrics)
        .map(key),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(watched.filter((metric) => !published.has(key(metric)))).toEqual([]);
  });

  it('reach CloudWatch Logs: the agent ships the file the API writes to, into the fleet’s log group', () => {
    // given
    const ingest = Template.fromStack(synthPipeline(Prod).ingest);
    const [launchTemplate] = Object.values(ingest.findResources('AWS::EC2::LaunchTemplate')) as {
      Properties: { LaunchTemplateData: { UserData: unknown } };
    }[];
    const userData = JSON.stringify(launchTemplate!.Properties.LaunchTemplateData.UserData);
    const [logGroupId] = Object.keys(ingest.findResources('AWS::Logs::LogGroup'));

    // when
    const agent = JSON.parse(cloudWatchAgentConfig('the-group')) as {
      logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string }[] } } };
    };

    // then
    const [collected] = agent.logs.logs_collected.files.collect_list;
    expect(collected!.log_group_name).toBe('the-group');
    expect(userData).toContain(`StandardOutput=append:${collected!.file_path}`);
    expect(userData).toContain(`{"Ref":"${logGroupId}"}`);
    expect(userData).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s');
  });
});
