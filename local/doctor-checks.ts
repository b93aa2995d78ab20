import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { redisClient } from '../lambdas/shared/redis-client';
import { DoctorRow, openSearchClusterHealth, runCheck } from '../lib/doctor/doctor';
import { kinesisClient } from '../producer/producer';
import { localPipelineRequest, RunningPipeline } from './local-control';

interface ConsumerStatus {
  readonly processed: number;
  readonly lagRecords: number;
  readonly lastError: string | null;
}

async function lineCount(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

/** The same questions as for a deployed environment, asked of the running `npm start`. */
export async function localChecks(running: RunningPipeline): Promise<DoctorRow[]> {
  const status = await localPipelineRequest<{ consumers: Record<string, ConsumerStatus> }>(running.url, '/status.json');
  const consumers = Object.entries(status.consumers);
  const rows = [
    runCheck('events API', async () => {
      const answer = await fetch(`${running.url}/health`);
      return { healthy: answer.ok, detail: `/health answers ${answer.status}` };
    }),
    runCheck('stream', async () => {
      const kinesis = kinesisClient({ endpoint: running.kinesisEndpoint, maxSockets: 1, local: true });
      try {
        const { StreamDescriptionSummary: summary } = await kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: running.streamName }),
        );
        return {
          healthy: summary?.StreamStatus === 'ACTIVE',
          detail: `${running.streamName} ${summary?.StreamStatus}, ${summary?.OpenShardCount} open shards`,
        };
      } finally {
        kinesis.destroy();
      }
    }),
    ...consumers.map(([name, consumer]) =>
      runCheck(`${name} consumer`, () =>
        Promise.resolve({
          // The last error stays after a recovery; it matters while the consumer is behind.
          healthy: consumer.lastError === null || consumer.lagRecords === 0,
          detail:
            `${consumer.processed} records processed, ${consumer.lagRecords} behind` +
            (consumer.lastError ? `; last error: ${consumer.lastError}` : ''),
        }),
      ),
    ),
    runCheck('OpenSearch', async () => {
      const { status, nodes } = await openSearchClusterHealth(running.openSearchUrl);
      // One node holds no replica, so yellow is as well as a one-node cluster can be.
      const healthy = status === 'green' || (status === 'yellow' && nodes === 1);
      return { healthy, detail: `cluster ${status}, ${nodes} node${nodes === 1 ? '' : 's'}` };
    }),
    runCheck('Redis', async () => {
      const redis = redisClient({ url: running.redisUrl });
      try {
        return { healthy: (await redis.ping()) === 'PONG', detail: `${running.redisUrl} answers PING` };
      } finally {
        redis.disconnect();
      }
    }),
    ...consumers.map(([name]) =>
      runCheck(`${name} set aside`, async () => {
        const failures = await lineCount(join(running.dataDirectory, 'failures', `${name}.jsonl`));
        const poison = await lineCount(join(running.dataDirectory, 'poison', `${name}.jsonl`));
        return {
          healthy: failures + poison === 0,
          detail:
            failures + poison === 0
              ? 'nothing'
              : `${failures} failure pointers, ${poison} records (npm run redrive -- --env local --consumer ${name})`,
        };
      }),
    ),
  ];
  return Promise.all(rows);
}
