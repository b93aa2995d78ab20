import type { Redis } from 'ioredis';
import { compareSequenceNumbers, StreamRecord } from '../shared/kinesis-batch';
import { collectFlagStatusWrites, flagStatusKeys, FlagStatusTtls } from './flag-status-updates';

/**
 * Applies a batch's writes and advances the shard's watermark in one atomic script, but only if the watermark is
 * still what the caller read: the records it left out as already applied are exactly the ones the writes skip.
 */
const APPLY_IF_WATERMARK = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
local writes = cjson.decode(ARGV[3])
for _, op in ipairs(writes.incr) do redis.call('HINCRBY', op[1], op[2], op[3]) end
for _, op in ipairs(writes.last) do
  local stored = tonumber(redis.call('HGET', op[1], 'lastEvaluated') or '-1')
  if op[2] >= stored then
    redis.call('HSET', op[1], 'lastEvaluated', op[2], 'version', op[3], 'variation', op[4], 'value', op[5])
  end
end
for _, op in ipairs(writes.pfadd) do redis.call('PFADD', unpack(op)) end
for _, op in ipairs(writes.expire) do redis.call('EXPIRE', op[1], op[2]) end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

type RedisWithScript = Redis & {
  applyIfWatermark(watermarkKey: string, expected: string, next: string, writes: string): Promise<number>;
};

export function withFlagStatusScript(redis: Redis): RedisWithScript {
  if (!('applyIfWatermark' in redis))
    redis.defineCommand('applyIfWatermark', { numberOfKeys: 1, lua: APPLY_IF_WATERMARK });
  return redis as RedisWithScript;
}

export interface ShardWriteOutcome {
  readonly applied: number;
  readonly skipped: number;
  readonly events: number;
}

// Another writer on the same shard moved the watermark (only a misconfigured mapping does that): read and try again.
const MAX_WATERMARK_RACES = 5;

/** Writes one shard's records, skipping any at or below the shard's watermark, in two round trips. */
export async function writeShardRecords(
  redis: Redis,
  shardId: string,
  records: readonly StreamRecord[],
  prefix: string,
  ttls: FlagStatusTtls,
): Promise<ShardWriteOutcome> {
  const client = withFlagStatusScript(redis);
  const watermarkKey = flagStatusKeys(prefix).watermark(shardId);
  for (let race = 0; race < MAX_WATERMARK_RACES; race++) {
    const watermark = (await client.get(watermarkKey)) ?? '';
    const fresh = records.filter((r) => watermark === '' || compareSequenceNumbers(r.sequenceNumber, watermark) > 0);
    if (fresh.length === 0) return { applied: 0, skipped: records.length, events: 0 };
    const next = fresh.reduce(
      (max, r) => (compareSequenceNumbers(r.sequenceNumber, max) > 0 ? r.sequenceNumber : max),
      watermark,
    );
    const writes = collectFlagStatusWrites(fresh, prefix, ttls);
    if ((await client.applyIfWatermark(watermarkKey, watermark, next, JSON.stringify(writes))) === 1) {
      return {
        applied: fresh.length,
        skipped: records.length - fresh.length,
        events: fresh.reduce((sum, r) => sum + r.events.length, 0),
      };
    }
  }
  throw new Error(
    `watermark ${watermarkKey} kept moving under this writer; is the mapping's parallelization factor above 1?`,
  );
}
