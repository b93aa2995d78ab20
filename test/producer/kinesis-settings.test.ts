import { eventually } from '../support/eventually';
import { startLocalKinesis } from '../support/local-kinesis';
import { startProducer } from '../../producer/producer';
import { SpillStore } from '../../producer/spill-store';
import { postEvents, startTestProducer, testProducerConfig } from '../support/producer-harness';
import { featureEvent } from '../support/sdk-payloads';

describe('a producer whose stream cannot be written for a setting’s sake', () => {
  it('fails routing health with the setting to fix, keeps what it accepted, and recovers once the stream exists', async () => {
    // given: a real Kinesis API without the stream the producer is configured for
    const kinesis = await startLocalKinesis();
    const streamName = `missing-${Date.now()}`;
    const producer = await startTestProducer(kinesis.client, streamName, { maxAttempts: 2 });
    try {
      const health = async () => {
        const response = await fetch(`${producer.url}/health`);
        return { code: response.status, body: (await response.json()) as { status: string; error?: string } };
      };

      // when
      const answer = await postEvents(producer.url, [featureEvent(1)]);

      // then: the payload is kept (spilled), and /health names the setting
      expect(answer.status).toBe(202);
      const unhealthy = await eventually(health, (now) => now.code === 503);
      expect(unhealthy.body.status).toBe('kinesis_unreachable');
      expect(unhealthy.body.error).toMatch(
        new RegExp(`Kinesis stream ${streamName} cannot be written \\(ResourceNotFoundException\\): .*STREAM_NAME`),
      );

      // when: the stream is created
      await kinesis.createStream(streamName, 1);

      // then: the spilled events reach it and health comes back
      await eventually(
        () => Promise.resolve(producer.metrics.counters.eventsPut),
        (put) => put === 1,
        20_000,
      );
      expect((await health()).code).toBe(200);
    } finally {
      await producer.drainAndStop();
      await kinesis.close();
    }
  });

  it('says at start that it sends what an earlier run spilled, and sends it', async () => {
    // given: a spill folder holding one file from an earlier run
    const kinesis = await startLocalKinesis();
    const streamName = `earlier-${Date.now()}`;
    await kinesis.createStream(streamName, 1);
    const config = await testProducerConfig(streamName);
    const store = new SpillStore(config.spillDirectory);
    await store.write([{ data: Buffer.from('a record an earlier run spilled'), eventCount: 1 }]);
    const logged: string[] = [];

    // when
    const producer = await startProducer(config, {
      kinesis: kinesis.client,
      log: (_level, message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`),
    });
    try {
      // then
      expect(logged).toContain(
        `sending what an earlier run spilled first ${JSON.stringify({ files: 1, folder: config.spillDirectory })}`,
      );
      await eventually(
        () => store.list(),
        (files) => files.length === 0,
      );
    } finally {
      await producer.drainAndStop();
      await kinesis.close();
    }
  });
});
