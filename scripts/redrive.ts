import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { PoisonEntry } from '../lambdas/shared/poison-sink';
import { FailurePointer, pointedRecords, poisonRecord, RedriveReport, redriveEvents } from '../lib/redrive/redrive';
import { CONSUMERS } from '../lib/replay/replay-request';
import { LOCAL_URL_OPTION, localPipelineRequest, localPipelineUrl } from '../local/local-control';
import { CommandOption, CommandSpec, runCommand } from './command';
import { deployedEnvironment } from './environment-option';
import { stackOutputs } from '../lib/stack-outputs';

const spec = {
  name: 'npm run redrive',
  summary:
    'Hands what a consumer set aside (poison records, kept with their bytes) and what its failure queue points at ' +
    'to the consumer’s current function again. Each event applies once however often it is redriven; what still ' +
    'cannot be applied is set aside again. Run it after the fix that makes them applicable is deployed.',
  options: {
    env: { type: 'string', value: 'local|ENV', required: true, description: 'local, or an environment of lib/config' },
    consumer: { type: 'string', value: 'contexts-indexer|flag-status', required: true, description: 'whose records' },
    'dry-run': { type: 'boolean', default: false, description: 'count what would be handed over; change nothing' },
    url: LOCAL_URL_OPTION,
  },
  examples: ['npm run redrive -- --env local --consumer flag-status --dry-run'],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

async function invoke(lambda: LambdaClient, functionArn: string, event: KinesisStreamEvent): Promise<void> {
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  const body = answer.Payload ? (JSON.parse(Buffer.from(answer.Payload).toString('utf8')) as unknown) : undefined;
  if (answer.FunctionError) throw new Error(`the function failed: ${JSON.stringify(body)}; nothing was removed`);
  const failures = (body as KinesisStreamBatchResponse | undefined)?.batchItemFailures ?? [];
  if (failures.length > 0)
    throw new Error(`the function could not apply ${failures.length} records (is its store up?); nothing was removed`);
}

async function redriveDeployed(environment: string, consumer: string, dryRun: boolean): Promise<RedriveReport> {
  const config = deployedEnvironment(environment);
  const target = CONSUMERS[consumer];
  if (!target) throw new Error(`--consumer must be one of ${Object.keys(CONSUMERS).join(', ')}`);
  const region = config.region;
  const cloudFormation = new CloudFormationClient({ region });
  const outputs = await stackOutputs(cloudFormation, `${environment}-${target.stack}`);
  const streamName = (await stackOutputs(cloudFormation, `${environment}-Stream`)).StreamName!;
  const s3 = new S3Client({ region });
  const sqs = new SQSClient({ region });
  const lambda = new LambdaClient({ region });
  const kinesis = new KinesisClient({ region });
  const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const streamArn = StreamDescriptionSummary!.StreamARN!;
  // The bucket is named by the stack that owns it; a consumer stack does not repeat another stack's export.
  const bucket = (await stackOutputs(cloudFormation, `${environment}-Stores`)).ArchiveBucket!;

  const keys: string[] = [];
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: outputs.PoisonPrefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((each) => each.Key!));
    token = page.NextContinuationToken;
  }
  let recordsRedriven = 0;
  let setAsideAgain = 0;
  if (!dryRun) {
    // One entry per invocation keeps "is it still poison" a question about one object.
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const entry = JSON.parse(await object.Body!.transformToString()) as PoisonEntry;
      const startedAt = new Date();
      for (const event of redriveEvents([poisonRecord(entry)], streamArn, consumer))
        await invoke(lambda, outputs.FunctionAlias!, event);
      recordsRedriven++;
      const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      if (after.LastModified && after.LastModified >= startedAt) setAsideAgain++;
      else await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
  }

  let failurePointers = 0;
  let recordsExpired = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: outputs.FailureQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: dryRun ? 0 : 300,
      }),
    );
    if (Messages.length === 0 || dryRun) {
      failurePointers += dryRun ? Messages.length : 0;
      break;
    }
    for (const message of Messages) {
      const pointed = await pointedRecords(kinesis, streamName, JSON.parse(message.Body!) as FailurePointer);
      for (const event of redriveEvents(pointed.records, streamArn, consumer))
        await invoke(lambda, outputs.FunctionAlias!, event);
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: outputs.FailureQueueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      failurePointers++;
      recordsRedriven += pointed.records.length;
      recordsExpired += pointed.expired;
    }
  }
  kinesis.destroy();
  return {
    consumer,
    dryRun,
    poisonEntries: keys.length,
    failurePointers,
    recordsRedriven,
    recordsExpired,
    setAsideAgain,
  };
}

runCommand(spec, async ({ values }) => {
  const dryRun = values['dry-run'];
  const report =
    values.env === 'local'
      ? await localPipelineRequest<RedriveReport>(values.url ?? localPipelineUrl(), '/local/redrive', {
          consumer: values.consumer,
          dryRun,
        })
      : await redriveDeployed(values.env!, values.consumer!, dryRun);
  const verb = dryRun ? 'would hand' : 'handed';
  console.log(
    `${report.consumer}: ${report.poisonEntries} set-aside records and ${report.failurePointers} failure pointers; ` +
      `${verb} ${report.recordsRedriven} records to the consumer again`,
  );
  if (report.recordsExpired > 0)
    console.log(`${report.recordsExpired} records the pointers named are past the stream's retention and are gone`);
  if (!dryRun) console.log(`${report.setAsideAgain} still cannot be applied and are set aside again`);
});
