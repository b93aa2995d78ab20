import { S3Client } from '@aws-sdk/client-s3';
import { integerEnv, requiredEnv } from './environment';
import { DEFAULT_EVENT_TIME_WINDOW, EventTimeWindow } from './event-time';
import { writingGeneration, WritingGeneration } from './generations';
import { FilePoisonSink, PoisonSink, S3PoisonSink } from './poison-sink';

type Env = Record<string, string | undefined>;

/** The generation the function writes: GENERATION and, for a replay, REPLAY_FROM (ISO-8601). */
export function generationFromEnv(env: Env = process.env): WritingGeneration {
  const generation = integerEnv('GENERATION', 0, env);
  if (generation === 0) return writingGeneration();
  const from = requiredEnv('REPLAY_FROM', env);
  if (Number.isNaN(Date.parse(from)))
    throw new Error(`REPLAY_FROM must be an ISO-8601 time, got ${JSON.stringify(from)}`);
  return writingGeneration({ generation, from });
}

/** What generationFromEnv reads: the variables a generation's function version is deployed with. */
export function generationEnv(replay?: { readonly generation: number; readonly from: string }): Record<string, string> {
  return replay ? { GENERATION: String(replay.generation), REPLAY_FROM: replay.from } : { GENERATION: '0' };
}

export function eventTimeWindowFromEnv(env: Env = process.env): EventTimeWindow {
  return {
    pastMs: integerEnv('EVENT_TIME_PAST_SECONDS', DEFAULT_EVENT_TIME_WINDOW.pastMs / 1000, env) * 1000,
    futureMs: integerEnv('EVENT_TIME_FUTURE_SECONDS', DEFAULT_EVENT_TIME_WINDOW.futureMs / 1000, env) * 1000,
  };
}

/**
 * Records and events that can never be applied go to POISON_BUCKET under POISON_PREFIX, with their bytes; on one
 * machine, POISON_FILE names the JSON-lines file that stands in for the bucket.
 */
export function poisonSinkFromEnv(env: Env = process.env): PoisonSink {
  if (env.POISON_FILE) return new FilePoisonSink(env.POISON_FILE);
  return new S3PoisonSink(
    new S3Client({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 } }),
    requiredEnv('POISON_BUCKET', env),
    env.POISON_PREFIX ?? 'poison/',
  );
}
