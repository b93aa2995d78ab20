import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { customerPolicies } from '../../lib/export/customer-policies';
import type { DestinationsFile, ExportDestination } from '../../lambdas/exporter/destinations';
import exportedEventSchema from '../../schemas/exported-event.schema.json';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { testTenantFile, writeTenantFile, TEST_TENANTS } from '../support/producer-harness';
import { runScript } from '../support/run-script';

const ENVIRONMENT = TEST_TENANTS.healthy.environmentId;
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:111122223333:stream/acme-events';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/data-export';

describe('npm run export', () => {
  let folder: string;
  let file: string;
  let tenants: string;
  let kinesis: LocalKinesis;

  beforeAll(async () => {
    tenants = await writeTenantFile(testTenantFile);
    kinesis = await startLocalKinesis();
  });
  afterAll(async () => {
    await kinesis?.close();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'export-destinations-'));
    file = join(folder, 'export-destinations.json');
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const exportCommand = (...args: string[]) =>
    runScript('scripts/export.ts', [...args, '--file', file, '--tenants', tenants]);
  const saved = async () => JSON.parse(await readFile(file, 'utf8')) as DestinationsFile;

  it('adds a checked destination, prints the policies its owner pastes, lists it and removes it', async () => {
    // when
    const added = await exportCommand(
      'add',
      ...['--env', 'dev', '--id', 'acme', '--environment', ENVIRONMENT],
      ...['--stream-arn', STREAM_ARN, '--role-arn', ROLE_ARN, '--flags', 'new-checkout, dark-mode'],
    );

    // then: the file holds it, with the region of its ARN and a new external id
    expect(added).toMatchObject({ code: 0 });
    const [destination, ...others] = (await saved()).dev!;
    expect(others).toEqual([]);
    expect(destination).toEqual({
      id: 'acme',
      environment: ENVIRONMENT,
      kind: 'kinesis',
      region: 'eu-west-1',
      streamArn: STREAM_ARN,
      roleArn: ROLE_ARN,
      externalId: expect.stringMatching(/^[\w-]{32}$/) as unknown,
      flags: ['new-checkout', 'dark-mode'],
    });
    expect(added.output).toContain(`external id: ${destination!.externalId}`);
    expect(added.output).toContain(`"sts:ExternalId": "${destination!.externalId}"`);
    expect(added.output).toContain(`"Resource": "${STREAM_ARN}"`);

    const listed = await exportCommand('list', '--env', 'dev');
    expect(listed).toMatchObject({ code: 0 });
    expect(listed.output).toMatch(
      new RegExp(`acme +${ENVIRONMENT} +kinesis +eu-west-1 acme-events +new-checkout,dark-mode`),
    );

    const removed = await exportCommand('remove', '--env', 'dev', '--id', 'acme');
    expect(removed).toMatchObject({ code: 0 });
    expect(await saved()).toEqual({});
  });

  it.each([
    [
      'an environment the tenant file does not have',
      ['--environment', 'env-nobody'],
      /environment "env-nobody" is not an environment of the tenant file/,
    ],
    ['a malformed role ARN', ['--role-arn', 'arn:aws:iam::1234:role/x'], /roleArn must be an IAM role ARN/],
    [
      'a stream in another region than the one named',
      ['--region', 'us-east-1'],
      /streamArn is in eu-west-1 but region says us-east-1/,
    ],
    ['a Firehose kind with a Kinesis ARN', ['--kind', 'firehose'], /streamArn must be a Firehose delivery stream ARN/],
  ])('refuses %s, naming the field, and leaves the file as it was', async (_case, change, message) => {
    // given
    const before = `${JSON.stringify({ dev: [] })}\n`;
    await writeFile(file, before);
    const options = new Map([
      ['--environment', ENVIRONMENT],
      ['--stream-arn', STREAM_ARN],
      ['--role-arn', ROLE_ARN],
    ]);
    for (let i = 0; i < change.length; i += 2) options.set(change[i]!, change[i + 1]!);

    // when
    const refused = await exportCommand('add', '--env', 'dev', '--id', 'acme', ...[...options].flat());

    // then
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/not added:\n- destination "acme": /);
    expect(refused.output).toMatch(message);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('sends the test event to the destination and reads it back from the stream', async () => {
    // given: a destination whose stream is a kinesalite, reached with static credentials
    const streamName = `export-test-${Date.now()}`;
    await kinesis.createStream(streamName, 2);
    const destination: ExportDestination = {
      id: 'acme',
      environment: ENVIRONMENT,
      kind: 'kinesis',
      region: 'eu-west-1',
      streamArn: `arn:aws:kinesis:eu-west-1:111122223333:stream/${streamName}`,
      roleArn: ROLE_ARN,
      externalId: 'acme-external-id',
    };
    await writeFile(file, JSON.stringify({ dev: [destination] }));

    // when
    const sent = await exportCommand('test', '--env', 'dev', '--id', 'acme', '--endpoint', kinesis.endpoint);

    // then: the one record in the stream is the test event, as the export schema says, and the command saw it
    expect(sent).toMatchObject({ code: 0 });
    const records = (await kinesis.readRecords(streamName)).flatMap((shard) => shard.data);
    expect(records).toHaveLength(1);
    const record = JSON.parse(records[0]!.toString('utf8')) as Record<string, unknown>;
    expect(new Ajv().validate(exportedEventSchema, record)).toBe(true);
    expect(record).toMatchObject({
      environmentId: ENVIRONMENT,
      kind: 'feature',
      key: 'LaunchDarklyDataExportTestEvent',
      contexts: [expect.objectContaining({ key: 'LaunchDarklyDataExportTestEvent' })],
    });
    expect(sent.output).toContain(`export id ${record.exportId as string}`);
    expect(sent.output).toMatch(/arrived: shard shardId-\d+, sequence number \d+/);
  });

  it('says which destinations an environment has when asked for one it lacks', async () => {
    await writeFile(file, JSON.stringify({ dev: [] }));

    const answer = await exportCommand('test', '--env', 'dev', '--id', 'globex');

    expect(answer.code).toBe(2);
    expect(answer.output).toContain('dev has no export destination "globex" (it has: none)');
  });

  it('documents in docs/data-export.md the policies the command prints', async () => {
    // given: the document's two policy documents, in the order they appear
    const section = await readFile(join(__dirname, '..', '..', 'docs', 'data-export.md'), 'utf8');
    const documents = [...section.matchAll(/```json\n([\s\S]*?)```/g)]
      .slice(0, 2)
      .map((match) => JSON.parse(match[1]!) as unknown);

    // then: they are what the command prints, with the document's placeholders
    const policies = customerPolicies(
      {
        id: 'placeholder',
        environment: 'placeholder',
        kind: 'kinesis',
        region: 'REGION',
        streamArn: 'arn:aws:kinesis:REGION:CUSTOMER_ACCOUNT:stream/STREAM',
        roleArn: 'placeholder',
        externalId: 'EXTERNAL_ID',
      },
      'PIPELINE_ACCOUNT',
    );
    expect(documents).toEqual([policies.trust, policies.permissions]);
  });
});
