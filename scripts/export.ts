import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import {
  destinationProblems,
  DestinationsFile,
  ExportDestination,
  streamNameOf,
} from '../lambdas/exporter/destinations';
import { DESTINATIONS_FILE, readDestinationsFile, writeDestinationsFile } from '../lib/export/destinations-file';
import { customerPolicies } from '../lib/export/customer-policies';
import { stackOutputs } from '../lib/stack-outputs';
import {
  assumedRoleCredentials,
  CredentialSource,
  DestinationWriter,
  STAND_IN_CREDENTIALS,
} from '../lambdas/exporter/destination-writer';
import { exportedEvent, exportIdOf, testEvent } from '../lambdas/exporter/exported-event';
import type { LocalStores } from '../local/pipeline-controls';
import { LOCAL_URL_OPTION, localPipelineRequest, localPipelineUrl } from '../local/local-control';
import { kinesisClient } from '../producer/producer';
import type { TenantFile } from '../producer/tenant-directory';
import { CommandOption, CommandSpec, parseCommand, runCommand, UsageError } from './command';
import { deployedEnvironment } from './environment-option';

const spec = {
  name: 'npm run export',
  summary:
    'Edits and checks the Data Export destinations of config/export-destinations.json: add one (checked, then ' +
    'printed with the policies its owner pastes), list them, send one the test event and show it arrived, remove one. ' +
    'A deployed environment takes a change at its next deploy, which also grants the role; npm start at its next start.',
  positionals: 'add|list|test|remove',
  options: {
    env: { type: 'string', value: 'local|ENV', required: true, description: 'local, or an environment of lib/config' },
    id: { type: 'string', value: 'ID', description: 'the destination (add, test, remove)' },
    environment: { type: 'string', value: 'SDK-ENV', description: 'add: the SDK environment whose events it gets' },
    kind: { type: 'string', value: 'kinesis|firehose', default: 'kinesis', description: 'add: the stream’s kind' },
    'stream-arn': { type: 'string', value: 'ARN', description: 'add: the customer’s stream or delivery stream' },
    'role-arn': { type: 'string', value: 'ARN', description: 'add: the role in their account the exporter assumes' },
    region: { type: 'string', value: 'REGION', description: 'add: where the stream is (default: the ARN’s region)' },
    'external-id': {
      type: 'string',
      value: 'ID',
      description: 'add: the secret their trust policy requires (default: a new random one, printed)',
    },
    flags: {
      type: 'string',
      value: 'KEY,KEY',
      description: 'add: only these flags’ evaluations (default: all events)',
    },
    tenants: {
      type: 'string',
      value: 'FILE',
      description:
        'add: the tenant file whose environments are valid (default: config/local-tenants.json for local, the ' +
        'deployed tenants.json otherwise)',
    },
    endpoint: {
      type: 'string',
      value: 'URL',
      description: 'test: a stand-in for the destination, reached with static credentials (local: npm start’s)',
    },
    file: { type: 'string', value: 'FILE', default: DESTINATIONS_FILE, description: 'the destinations file' },
    url: LOCAL_URL_OPTION,
  },
  examples: [
    'npm run export -- list --env local',
    'npm run export -- add --env prod --id acme-prod --environment env-acme-production ' +
      '--stream-arn arn:aws:kinesis:us-east-1:111122223333:stream/ld-events ' +
      '--role-arn arn:aws:iam::111122223333:role/launchdarkly-export',
    'npm run export -- test --env local --id local-example',
    'npm run export -- remove --env prod --id acme-prod',
  ],
  notes:
    '`test` sends an evaluation of the flag LaunchDarklyDataExportTestEvent by a context of that key, as the exporter ' +
    'would, and reads the stream back where it may (a local stand-in; a deployed stream only if the role may read it).',
} as const satisfies CommandSpec<Record<string, CommandOption>>;

type Values = ReturnType<typeof parseCommand<typeof spec.options>>['values'];

const required = (values: Values, name: keyof Values): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required here`);
  return value;
};

/** The SDK environments of a tenant file: what a destination's `environment` may name. */
async function tenantEnvironments(values: Values): Promise<Set<string>> {
  let text: string;
  let source: string;
  if (values.tenants || values.env === 'local') {
    source = values.tenants ?? 'config/local-tenants.json';
    text = await readFile(source, 'utf8');
  } else {
    const config = deployedEnvironment(values.env);
    const stack = `${config.name}-Stores`;
    const bucket = await stackOutputs(new CloudFormationClient({ region: config.region }), stack)
      .then((outputs) => outputs.ProducerConfigBucket)
      .catch((error: Error) => {
        throw new Error(`the tenant file of ${config.name} could not be found (${error.message}): pass --tenants FILE`);
      });
    source = `s3://${bucket}/tenants.json`;
    const object = await new S3Client({ region: config.region }).send(
      new GetObjectCommand({ Bucket: bucket, Key: 'tenants.json' }),
    );
    text = await object.Body!.transformToString();
  }
  try {
    return new Set((JSON.parse(text) as TenantFile).environments.map((environment) => environment.id));
  } catch (error) {
    throw new Error(`${source} is not a tenant file: ${(error as Error).message}`, { cause: error });
  }
}

function destinationOf(file: DestinationsFile, env: string, id: string): ExportDestination {
  const destination = (file[env] ?? []).find((each) => each.id === id);
  if (!destination) {
    const known = (file[env] ?? []).map((each) => each.id).join(', ') || 'none';
    throw new UsageError(`${env} has no export destination ${JSON.stringify(id)} (it has: ${known})`);
  }
  return destination;
}

async function add(values: Values, file: DestinationsFile): Promise<void> {
  const env = values.env!;
  const streamArn = required(values, 'stream-arn');
  const destination: ExportDestination = {
    id: required(values, 'id'),
    environment: required(values, 'environment'),
    kind: values.kind as ExportDestination['kind'],
    region: values.region ?? streamArn.split(':')[3] ?? '',
    streamArn,
    roleArn: required(values, 'role-arn'),
    externalId: values['external-id'] ?? randomBytes(24).toString('base64url'),
    ...(values.flags !== undefined && { flags: values.flags.split(',').map((flag) => flag.trim()) }),
  };
  const others = (file[env] ?? []).filter((each) => each.id !== destination.id);
  if (others.length !== (file[env] ?? []).length)
    throw new UsageError(`${env} already has a destination ${JSON.stringify(destination.id)}: remove it first`);
  const problems = destinationProblems([...others, destination], await tenantEnvironments(values));
  if (problems.length > 0) throw new Error(`not added:\n- ${problems.join('\n- ')}`);
  await writeDestinationsFile({ ...file, [env]: [...others, destination] }, values.file);
  const account = env === 'local' ? '000000000000' : deployedEnvironment(env).account;
  const policies = customerPolicies(destination, account ?? 'PIPELINE_ACCOUNT');
  console.log(
    `added ${destination.id} to ${env} in ${values.file}; it exports from the next deploy (locally: the next npm start)`,
  );
  console.log(`\nexternal id: ${destination.externalId}`);
  console.log(`\nthe owner's role trust policy:\n${JSON.stringify(policies.trust, null, 2)}`);
  console.log(`\nthe owner's role permissions policy:\n${JSON.stringify(policies.permissions, null, 2)}`);
}

function list(values: Values, file: DestinationsFile): void {
  const destinations = file[values.env!] ?? [];
  if (destinations.length === 0) {
    console.log(`${values.env} has no export destinations in ${values.file}`);
    return;
  }
  const rows = destinations.map((each) => [
    each.id,
    each.environment,
    each.kind,
    `${each.region} ${streamNameOf(each)}`,
    each.flags ? each.flags.join(',') : 'all events',
  ]);
  const header = ['id', 'environment', 'kind', 'stream', 'events'];
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  const problems = destinationProblems(destinations);
  if (problems.length > 0) throw new Error(`not fit to deploy:\n- ${problems.join('\n- ')}`);
}

async function remove(values: Values, file: DestinationsFile): Promise<void> {
  const env = values.env!;
  const destination = destinationOf(file, env, required(values, 'id'));
  const rest = (file[env] ?? []).filter((each) => each !== destination);
  const others = Object.fromEntries(Object.entries(file).filter(([name]) => name !== env));
  await writeDestinationsFile(rest.length > 0 ? { ...file, [env]: rest } : others, values.file);
  console.log(
    `removed ${destination.id} from ${env}; it stops at the next deploy, and its backlog expires with the bucket`,
  );
}

/** Where the test event goes: a stand-in with static credentials, or the destination's region as its role. */
async function reach(values: Values, destination: ExportDestination) {
  let endpoint = values.endpoint;
  if (!endpoint && values.env === 'local') {
    const stores = await localPipelineRequest<LocalStores>(values.url ?? localPipelineUrl(), '/local/stores');
    endpoint = stores.customerKinesisEndpoint ?? undefined;
    if (!endpoint) throw new Error('the running npm start has no export destinations: restart it after adding one');
  }
  const credentials: CredentialSource = endpoint
    ? STAND_IN_CREDENTIALS
    : assumedRoleCredentials(new STSClient({ region: destination.region }));
  return { endpoint, credentials };
}

async function test(values: Values, file: DestinationsFile): Promise<void> {
  const destination = destinationOf(file, values.env!, required(values, 'id'));
  const { endpoint, credentials } = await reach(values, destination);
  const kinesis =
    destination.kind === 'kinesis'
      ? endpoint
        ? kinesisClient({ maxSockets: 2, endpoint, local: true })
        : new KinesisClient({ region: destination.region, credentials: await credentials(destination) })
      : undefined;
  const writer = new DestinationWriter(destination, { credentials, endpoint });
  try {
    // Positions taken before the event is sent, so reading from them finds it.
    const positions =
      kinesis && (await latestPositions(kinesis, streamNameOf(destination)).catch((error: Error) => error));
    const event = testEvent(destination.environment, Date.now());
    const result = await writer.send([exportedEvent(event)]);
    if (result.delivered !== 1)
      throw new Error(`${destination.id} did not take the test event: ${result.failure?.reason ?? 'no answer'}`);
    const exportId = exportIdOf(event);
    console.log(
      `sent the test event to ${destination.id} (${destination.kind} ${streamNameOf(destination)}), export id ${exportId}`,
    );
    if (!kinesis || !positions)
      console.log('a delivery stream cannot be read back: its owner finds the export id in its destination');
    else if (positions instanceof Error)
      console.log(
        `not read back (${positions.name}: the role may write, not read): its owner finds it by the export id`,
      );
    else {
      const found = await findRecord(kinesis, positions, exportId);
      console.log(found ? `arrived: ${found}` : 'not read back within 10 s: its owner should look for the export id');
    }
  } finally {
    writer.close();
    kinesis?.destroy();
  }
}

/** A LATEST iterator per shard: reading from each finds only what is written after. */
async function latestPositions(kinesis: KinesisClient, streamName: string): Promise<Map<string, string | undefined>> {
  const positions = new Map<string, string | undefined>();
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? []) {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'LATEST' }),
    );
    positions.set(shard.ShardId!, ShardIterator);
  }
  return positions;
}

/** The shard and sequence number of the record carrying the export id; read for 10 s at most. */
async function findRecord(kinesis: KinesisClient, positions: Map<string, string | undefined>, exportId: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const [shardId, iterator] of positions) {
      if (!iterator) continue;
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const record = (page.Records ?? []).find((each) =>
        Buffer.from(each.Data!).toString('utf8').startsWith(`{"exportId":"${exportId}"`),
      );
      if (record) return `shard ${shardId}, sequence number ${record.SequenceNumber}`;
      positions.set(shardId, page.NextShardIterator);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

const ACTIONS = { add, list, test, remove } as const;

runCommand(spec, async ({ values, positionals }) => {
  const [action, ...extra] = positionals;
  if (!action || !(action in ACTIONS) || extra.length > 0)
    throw new UsageError(`say what to do: add, list, test or remove, got ${JSON.stringify(positionals.join(' '))}`);
  if (values.env !== 'local') deployedEnvironment(values.env);
  await ACTIONS[action as keyof typeof ACTIONS](values, await readDestinationsFile(values.file));
});
