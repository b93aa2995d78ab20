import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { decodeRecord } from '../codec/event-codec';

export interface SinkCounters {
  calls: number;
  records: number;
  dataBytes: number;
  partitionKeyBytes: number;
  sampledEvents: number;
  sampledRecords: number;
}

/**
 * A minimal Kinesis PutRecords endpoint that validates each call against the service limits (500 records,
 * 5 MiB per call, 1 MiB per record including its key), decodes a sample of records, and counts.
 */
export async function startPutRecordsSink(
  sampleEvery = 50,
): Promise<{ url: string; counters: SinkCounters; reset: () => void; server: Server }> {
  const reset = () => {
    for (const name of Object.keys(counters) as (keyof SinkCounters)[]) counters[name] = 0;
  };
  const counters: SinkCounters = {
    calls: 0,
    records: 0,
    dataBytes: 0,
    partitionKeyBytes: 0,
    sampledEvents: 0,
    sampledRecords: 0,
  };
  let sequence = 0n;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Records: { Data: string; PartitionKey: string }[];
      };
      let callBytes = 0;
      const answers = call.Records.map((entry) => {
        const data = Buffer.from(entry.Data, 'base64');
        const size = data.length + Buffer.byteLength(entry.PartitionKey);
        if (size > 1024 * 1024) throw new Error(`record of ${size} bytes exceeds 1 MiB`);
        callBytes += size;
        counters.records++;
        counters.dataBytes += data.length;
        counters.partitionKeyBytes += Buffer.byteLength(entry.PartitionKey);
        if (counters.records % sampleEvery === 0) {
          counters.sampledEvents += decodeRecord(data).length;
          counters.sampledRecords++;
        }
        return { SequenceNumber: String(++sequence), ShardId: 'shardId-000000000000' };
      });
      if (call.Records.length > 500 || callBytes > 5 * 1024 * 1024) throw new Error('PutRecords call over its limits');
      counters.calls++;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ FailedRecordCount: 0, Records: answers }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counters, reset, server };
}
