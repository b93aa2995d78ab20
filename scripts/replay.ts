import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLineArgs } from './command-line';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ENVIRONMENTS, ReplayFile, withReplays } from '../lib/config/environments';
import { validateEnvironmentConfig } from '../lib/config/validate';
import { parseFrom, planReplay } from '../lib/replay/replay-request';
import { sampleFrom } from '../lib/replay/stream-sample';
import type { ReplayStatus } from '../local/local-pipeline';
import { localPipelineRequest } from '../local/local-control';
import { kinesisClient } from '../producer/producer';

const REPLAY_FILE = join(__dirname, '..', 'lib', 'config', 'replays.json');
const usage =
  'usage: npm run replay -- --env ENV|local --consumer contexts-indexer|flag-status --from ISO-TIME|2h|30m|1d [--dry-run] [--stream-name NAME] [--endpoint URL] [--url LOCAL-PIPELINE-URL] [--wait]';

async function streamNameOf(environment: string, region: string): Promise<string> {
  const stacks = await new CloudFormationClient({ region }).send(
    new DescribeStacksCommand({ StackName: `${environment}-Stream` }),
  );
  const output = stacks.Stacks?.[0]?.Outputs?.find((each) => each.OutputKey === 'StreamName')?.OutputValue;
  if (!output) throw new Error(`stack ${environment}-Stream has no StreamName output; pass --stream-name`);
  return output;
}

/** The running `npm start` starts the new generation itself: no file to commit, no deploy. */
async function replayLocal(url: string, consumer: string, from: Date, wait: boolean): Promise<void> {
  const replay = await localPipelineRequest<ReplayStatus>(url, '/local/replay', { consumer, from: from.toISOString() });
  console.log(
    `replaying ${replay.consumer} on the local pipeline as generation ${replay.generation}, rebuilding from ${replay.from}`,
  );
  console.log(`follow it on ${url}/status${wait ? '' : ' (or run again with --wait)'}`);
  if (!wait) return;
  for (;;) {
    const status = await localPipelineRequest<{ replays: ReplayStatus[] }>(url, '/status.json');
    const mine = status.replays.find((each) => each.consumer === consumer && each.generation === replay.generation);
    if (!mine) throw new Error(`the local pipeline at ${url} no longer knows this replay: was it restarted?`);
    console.log(`  ${mine.recordsRead} records re-read, up to ${mine.readUpTo ?? '(nothing yet)'}: ${mine.state}`);
    if (mine.state === 'live') {
      console.log(`generation ${mine.generation} serves reads since ${mine.switchedAt}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function main(): Promise<void> {
  const options = {
    env: { type: 'string' },
    consumer: { type: 'string' },
    from: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'stream-name': { type: 'string' },
    endpoint: { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    wait: { type: 'boolean', default: false },
  } as const;
  const { values } = parseArgs({ args: commandLineArgs(options), options });
  if (!values.env || !values.consumer || !values.from) throw new Error(usage);
  if (values.env === 'local') {
    await replayLocal(values.url, values.consumer, parseFrom(values.from, Date.now()), values.wait);
    return;
  }
  const config = ENVIRONMENTS.find((each) => each.name === values.env);
  if (!config)
    throw new Error(
      `--env must be one of ${ENVIRONMENTS.map((each) => each.name).join(', ')}, got ${JSON.stringify(values.env)}`,
    );
  const now = Date.now();
  const file = JSON.parse(readFileSync(REPLAY_FILE, 'utf8')) as ReplayFile;
  const plan = planReplay(config, values.consumer, parseFrom(values.from, now), now, file);
  validateEnvironmentConfig(withReplays(config, plan.file));

  console.log(
    `replay ${plan.consumer} in ${plan.environment} from ${plan.settings.from} as generation ${plan.settings.generation}`,
  );
  const streamName = values['stream-name'] ?? (await streamNameOf(config.name, config.region));
  const client = kinesisClient({ maxSockets: 4, endpoint: values.endpoint, local: values.endpoint !== undefined });
  for (const shard of await sampleFrom(client, streamName, new Date(plan.settings.from))) {
    const first = shard.firstRecordAt ? `, first at ${shard.firstRecordAt}` : '';
    console.log(`  ${shard.shardId}: ${shard.atLeast ? 'at least ' : ''}${shard.records} records to re-read${first}`);
  }
  client.destroy();

  if (values['dry-run']) {
    console.log('\n--dry-run: lib/config/replays.json left as it was');
  } else {
    writeFileSync(REPLAY_FILE, `${JSON.stringify(plan.file, null, 2)}\n`);
    console.log('\nwrote lib/config/replays.json: commit it and have it reviewed, then deploy this consumer alone:');
  }
  console.log(`  ${plan.deployCommand}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
