import { Cluster } from 'ioredis';
import { Generation, WritingGeneration } from '../shared/generations';
import type { RedisClient } from '../shared/redis-client';
import { FlagStatusWrites, flagStatusKeys, hashTag, registryKeys } from './flag-status-updates';

/**
 * Applies writes whose keys share one cluster slot, atomically; every key is declared (KEYS) and the writes name
 * them by position. A counted event's increments apply only if its bit in its payload's ledger was clear, so any
 * copy of an event (a retried PutRecords, a replayed spill file, a payload sent to two API instances, a Lambda
 * retry) counts once. The last evaluation moves only forward in (time, event identity), so arrival order never
 * matters.
 */
const APPLY_WRITES = `
local writes = cjson.decode(ARGV[1])
local sums, order, applied = {}, {}, 0
for _, event in ipairs(writes.counted) do
  if redis.call('SETBIT', KEYS[event[1]], event[2], 1) == 0 then
    applied = applied + 1
    for _, op in ipairs(event[3]) do
      local id = op[1] .. '|' .. op[2]
      local sum = sums[id]
      if sum == nil then
        sum = { op[1], op[2], 0 }
        sums[id] = sum
        order[#order + 1] = id
      end
      sum[3] = sum[3] + op[3]
    end
  end
end
for _, id in ipairs(order) do
  local sum = sums[id]
  redis.call('HINCRBY', KEYS[sum[1]], sum[2], string.format('%d', sum[3]))
end
for _, op in ipairs(writes.last) do
  local key = KEYS[op[1]]
  local stored = redis.call('HMGET', key, 'lastEvaluated', 'order')
  local storedAt = tonumber(stored[1] or '-1')
  if op[2] > storedAt or (op[2] == storedAt and op[6] > (stored[2] or '')) then
    redis.call('HSET', key, 'lastEvaluated', string.format('%d', op[2]), 'version', op[3], 'variation', op[4],
      'value', op[5], 'order', op[6])
  end
end
for _, op in ipairs(writes.pfadd) do redis.call('PFADD', KEYS[op[1]], unpack(op, 2)) end
for _, op in ipairs(writes.expire) do redis.call('EXPIRE', KEYS[op[1]], op[2]) end
return applied
`;

/** A shard's progress (the newest arrival a generation applied) only moves forward; kept for the catch-up check. */
const ADVANCE_PROGRESS = `
if tonumber(ARGV[2]) > tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1
`;

/** Registers a generation on first use: the first one is live at once, a replay's builds until it catches up. */
const REGISTER_GENERATION = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  local state = 'building'
  if redis.call('EXISTS', KEYS[2]) == 0 then
    state = 'live'
    redis.call('SET', KEYS[2], ARGV[1])
  end
  redis.call('HSET', KEYS[1], ARGV[1],
    cjson.encode({ generation = tonumber(ARGV[1]), fromMs = tonumber(ARGV[2]), state = state }))
end
return redis.call('HVALS', KEYS[1])
`;

/** The switch: the building generation becomes the one reads use, and the one it replaces is retired, at once. */
const SWITCH_GENERATION = `
local mine = redis.call('HGET', KEYS[1], ARGV[1])
if not mine then return 0 end
mine = cjson.decode(mine)
if mine.state ~= 'building' then return 0 end
local current = redis.call('GET', KEYS[2])
if current then
  local old = cjson.decode(redis.call('HGET', KEYS[1], current))
  old.state = 'retired'
  redis.call('HSET', KEYS[1], current, cjson.encode(old))
end
mine.state = 'live'
mine.switchedAtMs = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(mine))
redis.call('SET', KEYS[2], ARGV[1])
return 1
`;

type FlagStatusRedis = RedisClient & {
  applyFlagStatusWrites(...keysThenWrites: string[]): Promise<number>;
  advanceProgress(progress: string, shardId: string, newestArrivalMs: number): Promise<number>;
  registerGeneration(registry: string, live: string, generation: number, fromMs: number): Promise<string[]>;
  switchGeneration(registry: string, live: string, generation: number, nowMs: number): Promise<number>;
};

export function withFlagStatusScripts(redis: RedisClient): FlagStatusRedis {
  if (!('applyFlagStatusWrites' in redis)) {
    redis.defineCommand('applyFlagStatusWrites', { lua: APPLY_WRITES });
    redis.defineCommand('advanceProgress', { numberOfKeys: 1, lua: ADVANCE_PROGRESS });
    redis.defineCommand('registerGeneration', { numberOfKeys: 2, lua: REGISTER_GENERATION });
    redis.defineCommand('switchGeneration', { numberOfKeys: 2, lua: SWITCH_GENERATION });
  }
  return redis as FlagStatusRedis;
}

/**
 * Applies one batch's writes: one script on a single primary; in cluster mode one per slot (an environment's keys),
 * each atomic, so every event is still counted once with its ledger bit. Returns how many counted events were new.
 */
export async function applyWrites(
  redis: RedisClient,
  prefix: string,
  writer: WritingGeneration,
  writes: FlagStatusWrites,
  progress: { shardId: string; newestArrivalMs: number } | undefined,
): Promise<number> {
  const scripts = withFlagStatusScripts(redis);
  const groups = (redis instanceof Cluster ? bySlot(writes) : [writes]).filter(
    (group) => group.counted.length + group.last.length + group.pfadd.length + group.expire.length > 0,
  );
  let applied = 0;
  for (const group of groups) {
    // In order: an expiry applies to keys the parts before it created.
    for (const part of boundedParts(group)) {
      const { keys, indexed } = withDeclaredKeys(part);
      applied += await scripts.applyFlagStatusWrites(String(keys.length), ...keys, JSON.stringify(indexed));
    }
  }
  if (progress)
    await scripts.advanceProgress(
      flagStatusKeys(prefix, writer.generation).progress,
      progress.shardId,
      progress.newestArrivalMs,
    );
  return applied;
}

// Keys one script call declares: events dated over many minutes name many keys, and every key is an argument.
export const MAX_KEY_REFERENCES_PER_SCRIPT = 20_000;

/**
 * Splits writes into parts naming at most MAX_KEY_REFERENCES_PER_SCRIPT keys each, in the order counted, last,
 * pfadd, expire. A counted event stays whole in one part, with its ledger bit, so it is still counted once.
 */
function boundedParts(writes: FlagStatusWrites): FlagStatusWrites[] {
  const parts: FlagStatusWrites[] = [];
  let part: FlagStatusWrites = { counted: [], last: [], pfadd: [], expire: [] };
  let references = 0;
  const take = (size: number) => {
    if (references > 0 && references + size > MAX_KEY_REFERENCES_PER_SCRIPT) {
      parts.push(part);
      part = { counted: [], last: [], pfadd: [], expire: [] };
      references = 0;
    }
    references += size;
    return part;
  };
  for (const each of writes.counted) take(1 + each[2].length).counted.push(each);
  for (const each of writes.last) take(1).last.push(each);
  for (const each of writes.pfadd) take(1).pfadd.push(each);
  for (const each of writes.expire) take(1).expire.push(each);
  parts.push(part);
  return parts;
}

/** Splits writes by hash tag; a counted event's increments share its ledger's tag (one environment). */
function bySlot(writes: FlagStatusWrites): FlagStatusWrites[] {
  const groups = new Map<string, FlagStatusWrites>();
  const groupOf = (key: string) => {
    const tag = hashTag(key);
    let group = groups.get(tag);
    if (!group) groups.set(tag, (group = { counted: [], last: [], pfadd: [], expire: [] }));
    return group;
  };
  for (const each of writes.counted) groupOf(each[0]).counted.push(each);
  for (const each of writes.last) groupOf(each[0]).last.push(each);
  for (const each of writes.pfadd) groupOf(each[0]).pfadd.push(each);
  for (const each of writes.expire) groupOf(each[0]).expire.push(each);
  return [...groups.values()];
}

/** Every key the writes touch, to declare as KEYS, and the writes naming each by its (1-based) position there. */
function withDeclaredKeys(writes: FlagStatusWrites) {
  const keys: string[] = [];
  const positions = new Map<string, number>();
  const at = (key: string) => {
    let position = positions.get(key);
    if (position === undefined) positions.set(key, (position = keys.push(key)));
    return position;
  };
  const indexed = {
    counted: writes.counted.map(([ledger, bit, increments]) => [
      at(ledger),
      bit,
      increments.map(([key, field, n]) => [at(key), field, n]),
    ]),
    last: writes.last.map(([key, ...rest]) => [at(key), ...rest]),
    pfadd: writes.pfadd.map(([key, ...members]) => [at(key), ...members]),
    expire: writes.expire.map(([key, seconds]) => [at(key), seconds]),
  };
  return { keys, indexed };
}

/** Registers the writer's generation if new and returns every generation known. */
export async function registerGeneration(
  redis: RedisClient,
  prefix: string,
  writer: WritingGeneration,
): Promise<Generation[]> {
  const keys = registryKeys(prefix);
  const all = await withFlagStatusScripts(redis).registerGeneration(
    keys.generations,
    keys.live,
    writer.generation,
    writer.fromMs,
  );
  return parseGenerations(all);
}

export async function readGenerations(redis: RedisClient, prefix: string): Promise<Generation[]> {
  return parseGenerations(await redis.hvals(registryKeys(prefix).generations));
}

/** The registry's entries, oldest generation first. */
function parseGenerations(entries: readonly string[]): Generation[] {
  return entries.map((each) => JSON.parse(each) as Generation).sort((a, b) => a.generation - b.generation);
}

/** Newest arrival applied per shard, for one generation. */
export async function readProgress(
  redis: RedisClient,
  prefix: string,
  generation: number,
): Promise<Record<string, number>> {
  const raw = await redis.hgetall(flagStatusKeys(prefix, generation).progress);
  return Object.fromEntries(Object.entries(raw).map(([shard, ms]) => [shard, Number(ms)]));
}

export async function switchGeneration(
  redis: RedisClient,
  prefix: string,
  generation: number,
  nowMs: number,
): Promise<boolean> {
  const keys = registryKeys(prefix);
  return (await withFlagStatusScripts(redis).switchGeneration(keys.generations, keys.live, generation, nowMs)) === 1;
}
