import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOption, CommandSpec, runCommand, UsageError } from './command';
import { deployedEnvironment } from './environment-option';
import { stackOutputs } from '../lib/stack-outputs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ReplayFile, withReplays } from '../lib/config/environments';
import { validateEnvironmentConfig } from '../lib/config/validate';
import { parseFrom, planReplay } from '../lib/replay/replay-request';
import { sampleFrom } from '../lib/replay/stream-sample';
import type { ReplayStatus } from '../local/pipeline-controls';
import { LOCAL_URL_OPTION, localPipelineRequest, localPipelineUrl } from '../local/local-control';
import { kinesisClient } from '../producer/producer';

const REPLAY_FILE = join(__dirname, '..', 'lib', 'config', 'replays.json');
const spec = {
  name: 'npm run replay',
  summary:
    'Re-reads the stream for one consumer from a past time into a new generation of its store, which takes over ' +
    'reads once it has caught up: the repair when data was processed wrongly. Locally it starts at once on the ' +
    'running npm start; for a deployed environment it writes lib/config/replays.json to review, then deploy.',
  options: {
    env: { type: 'string', value: 'local|ENV', required: true, description: 'local, or an environment of lib/config' },
    consumer: {
      type: 'string',
      value: 'contexts-indexer|flag-status|experiments',
      required: true,
      description: 'what to rebuild',
    },
    from: {
      type: 'string',
      value: 'TIME',
      required: true,
      description: 'where to start: an ISO time, or a time back from now (-2h, 30m, 1d)',
    },
    'dry-run': { type: 'boolean', default: false, description: 'show what would be re-read; change nothing' },
    wait: { type: 'boolean', default: false, description: 'locally: follow the replay until it serves reads' },
    url: LOCAL_URL_OPTION,
    'stream-name': {
      type: 'string',
      value: 'NAME',
      description: 'deployed: the stream (default: the Stream stack output)',
    },
    endpoint: { type: 'string', value: 'URL', description: 'deployed: a Kinesis endpoint other than the region’s' },
  },
  examples: [
    'npm run replay -- --env local --consumer flag-status --from -2h --wait',
    'npm run replay -- --env prod --consumer contexts-indexer --from 2026-11-20T09:00:00Z --dry-run',
  ],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

async function streamNameOf(environment: string, region: string): Promise<string> {
  const output = (await stackOutputs(new CloudFormationClient({ region }), `${environment}-Stream`)).StreamName;
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

runCommand(spec, async ({ values }) => {
  const from = () => {
    try {
      return parseFrom(values.from!, Date.now());
    } catch (error) {
      throw new UsageError((error as Error).message, { cause: error });
    }
  };
  if (values.env === 'local') {
    await replayLocal(values.url ?? localPipelineUrl(), values.consumer!, from(), values.wait);
    return;
  }
  const config = deployedEnvironment(values.env);
  const now = Date.now();
  const file = JSON.parse(readFileSync(REPLAY_FILE, 'utf8')) as ReplayFile;
  const plan = planReplay(config, values.consumer!, from(), now, file);
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
});
