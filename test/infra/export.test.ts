import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Dev, Prod } from '../../lib/config/environments';
import { ExportDestination } from '../../lambdas/exporter/destinations';
import { synthPipeline } from '../support/synth';

const ACME: ExportDestination = {
  id: 'acme',
  environment: 'env-acme',
  kind: 'kinesis',
  region: 'us-east-1',
  streamArn: 'arn:aws:kinesis:us-east-1:333333333333:stream/launchdarkly-events',
  roleArn: 'arn:aws:iam::333333333333:role/launchdarkly-export',
  externalId: 'acme-7f3c2a',
};
const GLOBEX: ExportDestination = {
  ...ACME,
  id: 'globex',
  kind: 'firehose',
  region: 'eu-west-1',
  streamArn: 'arn:aws:firehose:eu-west-1:444444444444:deliverystream/flags',
  roleArn: 'arn:aws:iam::444444444444:role/export',
  externalId: 'globex-19b2',
  flags: ['checkout-redesign'],
};

describe('the Export stack', () => {
  const pipeline = synthPipeline(Dev, { exportDestinations: { dev: [ACME, GLOBEX] } });
  const template = Template.fromStack(pipeline.exporter!);

  it('exists only where the environment has destinations', () => {
    expect(synthPipeline(Dev).exporter).toBeUndefined();
    expect(pipeline.exporter).toBeDefined();
  });

  it('lets both functions assume exactly the destinations’ roles, and nothing else of the customers’', () => {
    const assumeStatements = Template.fromStack(pipeline.exporter!)
      .findResources('AWS::IAM::Policy')
      .valueOf() as Record<
      string,
      { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }
    >;
    const grants = Object.values(assumeStatements).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.filter((statement) => statement.Action === 'sts:AssumeRole'),
    );
    expect(grants).toHaveLength(2);
    for (const grant of grants) expect(grant.Resource).toEqual([ACME.roleArn, GLOBEX.roleArn]);
  });

  it('reads the stream through a consumer of its own, retrying while the backlog store is away', () => {
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: Match.absent(),
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('alarms per destination when it is paused and when its backlog is over 15 minutes old', () => {
    for (const id of [ACME.id, GLOBEX.id]) {
      for (const [metricName, threshold] of [
        ['exportPaused', 0],
        ['backlogAgeSeconds', 900],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'EventsPipeline/Consumers',
          MetricName: metricName,
          Threshold: threshold,
          Dimensions: Match.arrayWith([{ Name: 'destination', Value: id }]),
        });
      }
    }
  });

  it('passes cdk-nag with no unacknowledged error', () => {
    const fresh = synthPipeline(Dev, { exportDestinations: { dev: [ACME, GLOBEX] } });
    // The plugin is the app's: only the app's synth runs it (a stage's own synth would not).
    expect(() => (fresh.stage.node.root as App).synth()).not.toThrow();
  });

  it('refuses a bad destination at synth, naming the destination and the field', () => {
    const synth = (destination: Partial<ExportDestination>) => () =>
      synthPipeline(Prod, { exportDestinations: { prod: [{ ...ACME, ...destination }] } });
    expect(synth({ roleArn: 'arn:aws:iam::3333:role/x' })).toThrow(
      /destination "acme": roleArn must be an IAM role ARN/,
    );
    expect(synth({ region: 'eu-west-1' })).toThrow(
      /destination "acme": streamArn is in us-east-1 but region says eu-west-1/,
    );
    expect(synth({ kind: 'firehose' })).toThrow(/destination "acme": streamArn must be a Firehose delivery stream ARN/);
    expect(synth({ environment: '' })).toThrow(/destination "acme": environment must name an SDK environment/);
  });
});
