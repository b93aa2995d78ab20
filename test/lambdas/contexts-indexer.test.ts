import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EVENT_TIME_WINDOW } from '../../lambdas/shared/event-time';
import { FilePoisonSink } from '../../lambdas/shared/poison-sink';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Client } from '@opensearch-project/opensearch';
import type { KinesisStreamEvent } from 'aws-lambda';
import {
  ensureGenerationIndex,
  generationIndex,
  liveGeneration,
} from '../../lambdas/contexts-indexer/context-generations';
import { EventCorpus } from '../../bench/corpus';
import { expectedContexts } from '../support/contexts-oracle';
import { ContextsIndexerSettings, indexContextsBatch } from '../../lambdas/contexts-indexer/handler';
import { CONTEXTS_TEMPLATE } from '../../lambdas/contexts-indexer/context-index';
import { MGET_IDS_PER_REQUEST, recentDocuments } from '../../lambdas/contexts-indexer/context-writer';
import { readContexts } from '../../lambdas/contexts-indexer/context-reader';
import { openSearchClient } from '../../lambdas/shared/opensearch-client';
import { decodeRecord } from '../../codec/event-codec';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { customEvent, featureEvent, identifyEvent } from '../support/sdk-payloads';
import { readLambdaEvents, withPoisonRecord, writePayloads } from '../support/stream-events';

const OPENSEARCH_URL = process.env.OPENSEARCH_URL!;
const HOUR = 3_600_000;
const hourOf = (atMs: number) => atMs - (atMs % HOUR);
let aliasNumber = 0;

/** Answers the first `throttledCalls` _bulk requests with every item 429, as a saturated write queue does. */
async function startThrottlingProxy(
  target: string,
  throttledCalls: number,
): Promise<{ url: string; throttled: () => number; server: Server }> {
  const targetUrl = new URL(target);
  let throttled = 0;
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.url?.includes('_bulk') && throttled < throttledCalls) {
        throttled++;
        const text = (incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        const lines = text.trim().split('\n');
        const items = lines
          .filter((_, i) => i % 2 === 0)
          .map((line) => {
            const [operation] = Object.keys(JSON.parse(line) as object);
            return {
              [operation!]: {
                status: 429,
                error: { type: 'es_rejected_execution_exception', reason: 'write queue full' },
              },
            };
          });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ took: 1, errors: true, items }));
        return;
      }
      const outgoing = request(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      outgoing.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, throttled: () => throttled, server };
}

describe('contexts-indexer against a real OpenSearch', () => {
  let kinesis: LocalKinesis;
  let client: Client;
  let batches: KinesisStreamEvent[];
  let alias: string;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('contexts', 1);
    // A private value that arrived anyway (an SDK should have removed it), named by `_meta.privateAttributes`.
    const ada = {
      kind: 'user',
      key: 'ada',
      name: 'Ada',
      plan: 'pro',
      phone: '+44 20 7946 0000',
      address: { city: 'London', street: '12 Secret Lane' },
      _meta: { redactedAttributes: ['email'], privateAttributes: ['phone', '/address/street'] },
    };
    await writePayloads(kinesis, 'contexts', [
      {
        environmentId: 'env-a',
        events: [
          { ...featureEvent(1_000), context: ada },
          { ...featureEvent(2_000), context: ada },
        ],
      },
      { environmentId: 'env-a', events: [identifyEvent(7), customEvent(3)] },
      {
        environmentId: 'env-b',
        events: [{ ...featureEvent(5_000), context: { ...ada, name: 'Ada B', plan: 'team' } }],
      },
      { environmentId: 'env-a', events: [{ ...featureEvent(9_000), context: { ...ada, name: 'Ada Lovelace' } }] },
    ]);
    batches = await readLambdaEvents(kinesis, 'contexts', 2);
    client = openSearchClient({ url: OPENSEARCH_URL });
  });

  beforeEach(async () => {
    alias = `contexts-test-${process.pid}-${++aliasNumber}`;
    await ensureGenerationIndex(client, alias, 0);
  });

  // Nothing a test writes outlives it: its indices and its template go.
  afterEach(async () => {
    await client.indices.delete({ index: `${alias}-*` });
    await client.indices.deleteIndexTemplate({ name: `${CONTEXTS_TEMPLATE}-${alias}` });
  });

  afterAll(async () => {
    await client.close();
    await kinesis.close();
  });

  const run = (
    batch: KinesisStreamEvent,
    remainingMs = 30_000,
    target: Client = client,
    overrides: Partial<ContextsIndexerSettings> = {},
  ) =>
    indexContextsBatch(
      batch,
      {
        client: target,
        alias,
        generation: { generation: 0, fromMs: 0 },
        baseBackoffMs: 5,
        eventTimeWindow: DEFAULT_EVENT_TIME_WINDOW,
        lastSeenResolutionMs: HOUR,
        poison: new FilePoisonSink(join(tmpdir(), `contexts-poison-${process.pid}.jsonl`)),
        ...overrides,
      },
      () => remainingMs,
    );

  async function documents(): Promise<Record<string, Record<string, unknown>>> {
    await client.indices.refresh({ index: alias });
    const response = await client.search({ index: alias, body: { size: 100, query: { match_all: {} } } });
    const hits = response.body.hits.hits as { _id: string; _source: Record<string, unknown> }[];
    return Object.fromEntries(hits.map((hit) => [hit._id, hit._source]));
  }

  it('writes one document per environment, kind and key, without private attributes', async () => {
    for (const batch of batches) expect((await run(batch)).response.batchItemFailures).toEqual([]);

    const docs = await documents();
    expect(docs['env-a/user/ada']).toMatchObject({
      environmentId: 'env-a',
      kind: 'user',
      key: 'ada',
      name: 'Ada Lovelace',
      attributes: { plan: 'pro', address: { city: 'London' } },
      redactedAttributes: ['email', 'phone', '/address/street'],
      firstSeen: 1_795_000_001_000,
      lastSeen: hourOf(1_795_000_009_000),
      lastSdk: 'NodeJSClient/9.0.0',
    });
    expect(docs['env-b/user/ada']).toMatchObject({ name: 'Ada B' });
    expect(docs['env-a/org/org-1']).toMatchObject({ kind: 'org', attributes: { region: 'eu' } });
    expect(docs['env-a/user/ada']!.attributes).toEqual({ plan: 'pro', address: { city: 'London' } });
    expect(JSON.stringify(docs)).not.toMatch(/7946|Secret Lane/);
  });

  it('ends in the same state when batches are processed twice, as on a retry or a replay', async () => {
    for (const batch of batches) await run(batch);
    const once = await documents();

    for (const batch of batches) await run(batch);

    expect(await documents()).toEqual(once);
  });

  it('repairs with a replay: values from T on are rebuilt whatever the index held, earlier ones carried over, reads switch once caught up', async () => {
    // given: contexts seen over two hours around an hour boundary T, applied by generation 0
    const T = 1_795_003_200_000;
    const stream = 'contexts-replay';
    await kinesis.createStream(stream, 1);
    const payloads = Array.from({ length: 12 }, (_, i) => {
      const receivedAtMs = T - 2 * 3_600_000 + i * 15 * 60_000;
      const key = i === 1 ? 'early' : i === 10 ? 'late' : `user-${i % 3}`;
      return {
        environmentId: 'env-r',
        payloadId: `replay-${i}`,
        receivedAtMs,
        events: [
          {
            ...featureEvent(i),
            creationDate: receivedAtMs - 1_000,
            context: { kind: 'user', key, name: `${key} #${i}` },
          },
          { ...customEvent(i), creationDate: receivedAtMs - 500, context: undefined, contextKeys: { user: key } },
        ],
      };
    });
    // One write each, a little apart, so the records arrive in order and the replay has batches to catch up with.
    for (const payload of payloads) {
      await writePayloads(kinesis, stream, [payload]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const allBatches = await readLambdaEvents(kinesis, stream, 2);
    for (const batch of allBatches) expect((await run(batch)).response.batchItemFailures).toEqual([]);
    // A replay's mapping starts 5 minutes before T: it reads the payloads received from then on, never the earlier.
    const receivedAt = (batch: KinesisStreamEvent) =>
      Number(decodeRecord(Buffer.from(batch.Records[0]!.kinesis.data, 'base64'))[0]!.envelope.receivedAtMs);
    const replayBatches = allBatches.filter((batch) => receivedAt(batch) >= T - 5 * 60_000);
    expect(replayBatches.length).toBeGreaterThan(1);
    const expected = expectedContexts(payloads, HOUR);
    const held = async () =>
      Object.fromEntries(
        Object.entries(await documents()).map(([id, doc]) => [
          id,
          { firstSeen: doc.firstSeen, lastSeen: doc.lastSeen, name: doc.name },
        ]),
      );
    const reference = Object.fromEntries(
      [...expected].map(([id, each]) => [id, { firstSeen: each.firstSeen, lastSeen: each.lastSeen, name: each.name }]),
    );
    expect(await held()).toEqual(reference);

    // and: a bug that wrote every context seen from T on wrong (a name, and a last seen in 2100)
    const written = await documents();
    for (const [id, doc] of Object.entries(written)) {
      if ((doc.lastSeen as number) < T) continue;
      await client.index({
        index: generationIndex(alias, 0),
        id,
        body: { ...doc, name: 'Corrupted', lastSeen: 4_102_444_800_000, detailsSeen: 4_102_444_800_000 },
      });
    }
    const corrupted = await held();
    expect(Object.values(corrupted).filter((doc) => doc.name === 'Corrupted').length).toBeGreaterThan(0);

    for (const generation of [1, 2]) {
      // when: a replay from T as generation 1, then the same again as generation 2
      // Every record here is seconds old: only catching up with the live generation counts, not being near now.
      const replay = { generation: { generation, fromMs: T }, catchUpSlackMs: 0 };
      await ensureGenerationIndex(client, alias, generation);
      const first = await run(replayBatches[0]!, 30_000, client, replay);

      // then: reads are served from what was there until the replay has caught up, then from the rebuilt index
      expect(first.switchedGeneration).toBeUndefined();
      expect(await held()).toEqual(generation === 1 ? corrupted : reference);
      const switched: number[] = [];
      for (const batch of replayBatches.slice(1)) {
        const result = await run(batch, 30_000, client, replay);
        expect(result.response.batchItemFailures).toEqual([]);
        if (result.switchedGeneration !== undefined) switched.push(result.switchedGeneration);
      }
      expect(switched).toEqual([generation]);
      expect(await liveGeneration(client, alias)).toBe(generation);
      expect(await held()).toEqual(reference);
    }
  });

  it('migrates to an index with the configured primaries through a replay from now, losing no document', async () => {
    // given: the first index, made with one primary, holding what every batch wrote
    for (const batch of batches) expect((await run(batch)).response.batchItemFailures).toEqual([]);
    const before = await documents();
    expect(Object.keys(before).length).toBeGreaterThan(3);

    // when: the next generation starts from now with three primaries, and the mapping goes on reading
    await ensureGenerationIndex(client, alias, 1, 3);
    const migration = { generation: { generation: 1, fromMs: Date.now() }, catchUpSlackMs: 0 };
    const switched: number[] = [];
    for (const batch of batches) {
      const result = await run(batch, 30_000, client, migration);
      expect(result.response.batchItemFailures).toEqual([]);
      if (result.switchedGeneration !== undefined) switched.push(result.switchedGeneration);
    }

    // then: reads moved to an index with three primaries, holding every document as it was
    expect(switched).toEqual([1]);
    const settings = await client.indices.getSettings({ index: generationIndex(alias, 1) });
    const indexSettings = Object.values(settings.body)[0] as { settings: { index: { number_of_shards: string } } };
    expect(indexSettings.settings.index.number_of_shards).toBe('3');
    expect(await liveGeneration(client, alias)).toBe(1);
    expect(await documents()).toEqual(before);
  });

  it('keeps an attribute too long for an index term exactly, its other attributes searchable, on a retry too', async () => {
    // given: values past Lucene's 32,766-byte term, at the top level and nested, beside short ones
    const stream = `contexts-long-${aliasNumber}`;
    await kinesis.createStream(stream, 1);
    const attributes = {
      plan: 'pro',
      notes: 'n'.repeat(40_000),
      profile: { city: 'Oslo', bio: 'b'.repeat(33_000) },
      tags: ['short', 't'.repeat(32_766)],
    };
    await writePayloads(kinesis, stream, [
      {
        environmentId: 'env-long',
        events: [{ ...featureEvent(1), context: { kind: 'user', key: 'verbose', name: 'Verbose', ...attributes } }],
      },
    ]);
    const [batch] = await readLambdaEvents(kinesis, stream);

    // when: applied, then applied again as on a retry
    const results = [await run(batch!), await run(batch!)];

    // then
    expect(results.map((result) => result.response.batchItemFailures)).toEqual([[], []]);
    await client.indices.refresh({ index: alias });
    const { contexts } = await readContexts(client, alias, { environmentId: 'env-long' });
    expect(contexts.map((context) => [context.key, context.attributes])).toEqual([['verbose', attributes]]);
    const byPlan = await client.count({ index: alias, body: { query: { term: { 'attributes.plan': 'pro' } } } });
    expect(byPlan.body.count).toBe(1);
  });

  it('reads and updates a batch naming more contexts than one mget asks for', async () => {
    // given: more contexts than one mget reads, each seen once, then each seen again later in one batch
    const count = MGET_IDS_PER_REQUEST + 500;
    const seen = async (atMs: number) => {
      const stream = `contexts-many-${aliasNumber}-${atMs}`;
      await kinesis.createStream(stream, 1);
      const events = Array.from({ length: count }, (_, i) => ({
        ...featureEvent(i),
        creationDate: atMs + i,
        context: { kind: 'user', key: `many-${i}`, name: `seen at ${atMs}` },
      }));
      await writePayloads(kinesis, stream, [{ environmentId: 'env-many', events }]);
      const [batch] = await readLambdaEvents(kinesis, stream, 10_000);
      return batch!;
    };
    const first = await seen(1_795_000_000_000);
    const second = await seen(1_795_000_100_000);

    // when
    const results = [await run(first), await run(second)];

    // then: every document was read back and updated, none created twice
    expect(results.flatMap((result) => result.response.batchItemFailures)).toEqual([]);
    expect(results[1]!.write.conflicts).toBe(0);
    await client.indices.refresh({ index: alias });
    const stale = await client.count({
      index: alias,
      body: { query: { term: { 'name.raw': 'seen at 1795000000000' } } },
    });
    const fresh = await client.count({
      index: alias,
      body: { query: { term: { 'name.raw': 'seen at 1795000100000' } } },
    });
    expect([stale.body.count, fresh.body.count]).toEqual([0, count]);
  });

  it('keeps first and last seen right when batches from different shards arrive out of order', async () => {
    // given: each batch relabelled as coming from its own shard, newest first
    const fromShards = batches.map((batch, i) => ({
      Records: batch.Records.map((r) => ({ ...r, eventID: `shardId-00000000000${i}:${r.kinesis.sequenceNumber}` })),
    }));

    for (const batch of fromShards.reverse()) await run(batch);

    const ada = (await documents())['env-a/user/ada']!;
    expect(ada).toMatchObject({
      firstSeen: 1_795_000_001_000,
      lastSeen: hourOf(1_795_000_009_000),
      name: 'Ada Lovelace',
    });
  });

  it('writes a context seen again within its window no more, reads it no more when remembered, and ends right from a stale memory', async () => {
    // given: a context seen twice within one hour, then in the next, each in a record of its own
    const stream = `contexts-window-${aliasNumber}`;
    await kinesis.createStream(stream, 1);
    const T = 1_795_003_200_000;
    const payloads = [T + 60_000, T + 30 * 60_000, T + HOUR + 60_000].map((atMs, i) => ({
      environmentId: 'env-w',
      payloadId: `window-${i}`,
      receivedAtMs: atMs,
      events: [
        { ...featureEvent(i), creationDate: atMs, context: { kind: 'user', key: 'w', name: 'Wen', plan: 'pro' } },
      ],
    }));
    for (const payload of payloads) await writePayloads(kinesis, stream, [payload]);
    const [first, again, nextHour] = await readLambdaEvents(kinesis, stream, 1);
    const writer = { recentDocuments: recentDocuments(100) };
    const otherWriter = { recentDocuments: recentDocuments(100) };

    // when: one function applies the first, another the next hour's, then the first the second sighting
    const written = [
      await run(first!, 30_000, client, writer),
      await run(nextHour!, 30_000, client, otherWriter),
      await run(again!, 30_000, client, writer),
    ].map(({ write }) => ({ written: write.written, unchanged: write.unchanged, read: write.read }));

    // then: the second sighting cost nothing, though the function's memory of the document was stale
    expect(written).toEqual([
      { written: 1, unchanged: 0, read: 1 },
      { written: 1, unchanged: 0, read: 1 },
      { written: 0, unchanged: 1, read: 0 },
    ]);
    const expected = expectedContexts(payloads, HOUR).get('env-w/user/w')!;
    expect((await documents())['env-w/user/w']).toMatchObject({
      firstSeen: expected.firstSeen,
      lastSeen: expected.lastSeen,
      name: expected.name,
      attributes: { plan: 'pro' },
    });
    expect(expected.lastSeen).toBe(T + HOUR);
  });

  it('ends where the reference does on contexts that come in sessions, across windows, writing a small share of the events', async () => {
    // given: ten minutes of one environment's traffic in sessions, kept to five-minute windows
    const corpus = new EventCorpus(9, undefined, { payloadsPerSecond: 10 });
    const payloads = Array.from({ length: 6_000 }, (_, i) => {
      const { events } = corpus.payload();
      return { environmentId: 'env-s', payloadId: `session-${i}`, receivedAtMs: corpus.clockMs, events };
    });
    const stream = `contexts-sessions-${aliasNumber}`;
    await kinesis.createStream(stream, 1);
    await writePayloads(kinesis, stream, payloads);
    const sessionBatches = await readLambdaEvents(kinesis, stream, 10);
    const FIVE_MINUTES = 5 * 60_000;

    // when
    let events = 0;
    let written = 0;
    for (const batch of sessionBatches) {
      const result = await run(batch, 30_000, client, { lastSeenResolutionMs: FIVE_MINUTES });
      expect(result.response.batchItemFailures).toEqual([]);
      events += result.events;
      written += result.write.written;
    }

    // then: every context as the reference has it, field by field, for a write per tens of events
    await client.indices.refresh({ index: alias });
    const response = await client.search({ index: alias, body: { size: 10_000, query: { match_all: {} } } });
    const hits = response.body.hits.hits as { _id: string; _source: Record<string, unknown> }[];
    const held = Object.fromEntries(
      hits.map((hit) => [
        hit._id,
        { firstSeen: hit._source.firstSeen, lastSeen: hit._source.lastSeen, name: hit._source.name },
      ]),
    );
    const expected = Object.fromEntries(
      [...expectedContexts(payloads, FIVE_MINUTES)].map(([id, each]) => [
        id,
        { firstSeen: each.firstSeen, lastSeen: each.lastSeen, name: each.name },
      ]),
    );
    expect(Object.keys(held).length).toBeGreaterThan(100);
    expect(held).toEqual(expected);
    expect(written / events).toBeLessThan(0.05);
  });

  it('sets a poison record aside and applies the rest, so the shard moves on', async () => {
    const poisoned = withPoisonRecord(batches[0]!, 1);

    const result = await run(poisoned);

    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.corruptRecords).toBe(1);
    expect(result.write.written).toBeGreaterThan(0);
  });

  it('retries items OpenSearch answers 429 until every document is written', async () => {
    const proxy = await startThrottlingProxy(OPENSEARCH_URL, 2);
    const throttledClient = openSearchClient({ url: proxy.url });
    try {
      const results = [];
      for (const batch of batches) results.push(await run(batch, 30_000, throttledClient));

      expect(proxy.throttled()).toBe(2);
      expect(results.reduce((sum, r) => sum + r.write.throttledItems, 0)).toBeGreaterThan(0);
      expect(results.flatMap((r) => r.response.batchItemFailures)).toEqual([]);
      expect(Object.keys(await documents()).sort()).toEqual([
        'env-a/org/org-1',
        'env-a/user/ada',
        'env-a/user/user-3',
        'env-a/user/user-7',
        'env-b/user/ada',
      ]);
    } finally {
      await throttledClient.close();
      proxy.server.close();
    }
  });

  it('reports the records of documents still throttled when the time budget runs out', async () => {
    const proxy = await startThrottlingProxy(OPENSEARCH_URL, Number.MAX_SAFE_INTEGER);
    const throttledClient = openSearchClient({ url: proxy.url });
    try {
      const result = await run(batches[0]!, 1_200, throttledClient);

      expect(result.response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
        batches[0]!.Records.map((r) => r.kinesis.sequenceNumber).sort(),
      );
    } finally {
      await throttledClient.close();
      proxy.server.close();
    }
  });
});
