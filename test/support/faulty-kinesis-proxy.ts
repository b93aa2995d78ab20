import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, request, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * What the proxy does to PutRecords calls on their way to kinesalite, which itself never fails or throttles.
 * Every other call passes through untouched.
 */
export interface KinesisFaults {
  /** Enforce the per-shard write limits with ProvisionedThroughputExceededException. */
  throttlePerShard: boolean;
  /** Kinesis allows 1 MiB/s a shard; a test may lower it so its load saturates a shard on any machine. */
  shardBytesPerSecond: number;
  /** Share of calls answered 500 InternalFailure without reaching the stream. */
  requestErrorRate: number;
  /** Share of entries answered InternalFailure while the rest of the call succeeds. */
  entryFailureRate: number;
  /** Share of calls whose connection is cut before any answer. */
  dropConnectionRate: number;
  /** Every call answered 503 ServiceUnavailable. */
  outage: boolean;
  /** How many more calls are written to the stream and then have their connection cut: the answer is lost. */
  loseAnswers: number;
}

export interface FaultStats {
  putCalls: number;
  entriesWritten: number;
  entriesThrottled: number;
  entriesFailed: number;
  callsFailed: number;
  connectionsDropped: number;
  answersLost: number;
}

interface PutRecordsEntry {
  Data: string;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

const MIB = 1024 * 1024;
const HASH_SPACE = 2n ** 128n;

/**
 * Picks exactly the given share of what it is asked about, evenly spread and starting with the first: a test's faults
 * then happen however few calls or entries its load makes, and the same way on every run.
 */
class EvenShare {
  private credit = 1;

  pick(share: number): boolean {
    if (share <= 0) return false;
    const picked = this.credit >= 1;
    if (picked) this.credit -= 1;
    this.credit += share;
    return picked;
  }
}

class ShardBudget {
  private bytes: number;
  private records = 1000;
  private updatedAtMs = Date.now();

  constructor(private readonly bytesPerSecond: () => number) {
    this.bytes = bytesPerSecond();
  }

  tryTake(bytes: number): boolean {
    const now = Date.now();
    const elapsed = (now - this.updatedAtMs) / 1000;
    this.updatedAtMs = now;
    this.bytes = Math.min(this.bytesPerSecond(), this.bytes + elapsed * this.bytesPerSecond());
    this.records = Math.min(1000, this.records + elapsed * 1000);
    if (this.bytes < bytes || this.records < 1) return false;
    this.bytes -= bytes;
    this.records -= 1;
    return true;
  }
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function jsonError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ __type: type, message }));
}

export async function startFaultyKinesisProxy(target: string, shardCount: number) {
  const targetUrl = new URL(target);
  const faults: KinesisFaults = {
    throttlePerShard: false,
    shardBytesPerSecond: MIB,
    requestErrorRate: 0,
    entryFailureRate: 0,
    dropConnectionRate: 0,
    outage: false,
    loseAnswers: 0,
  };
  const stats: FaultStats = {
    putCalls: 0,
    entriesWritten: 0,
    entriesThrottled: 0,
    entriesFailed: 0,
    callsFailed: 0,
    connectionsDropped: 0,
    answersLost: 0,
  };
  const shards = Array.from({ length: shardCount }, () => new ShardBudget(() => faults.shardBytesPerSecond));
  let stalled: Promise<void> | undefined;
  const droppedConnections = new EvenShare();
  const failedCalls = new EvenShare();
  const failedEntries = new EvenShare();

  const forward = (
    incoming: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> =>
    new Promise((resolve, reject) => {
      const headers = { ...incoming.headers, host: targetUrl.host, 'content-length': String(body.length) };
      const outgoing = request(
        { host: targetUrl.hostname, port: targetUrl.port, method: incoming.method, path: incoming.url, headers },
        (answer) => {
          readBody(answer).then(
            (answerBody) =>
              resolve({
                status: answer.statusCode ?? 500,
                body: answerBody,
                headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/x-amz-json-1.1') },
              }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const shardOf = (partitionKey: string): number => {
    const hash = BigInt(`0x${createHash('md5').update(partitionKey).digest('hex')}`);
    return Number((hash * BigInt(shardCount)) / HASH_SPACE);
  };

  const handlePutRecords = async (incoming: IncomingMessage, response: ServerResponse, body: Buffer) => {
    stats.putCalls++;
    await stalled;
    if (droppedConnections.pick(faults.dropConnectionRate)) {
      stats.connectionsDropped++;
      incoming.socket.destroy();
      return;
    }
    if (faults.outage) {
      stats.callsFailed++;
      return jsonError(response, 503, 'ServiceUnavailable', 'outage injected by the test proxy');
    }
    if (failedCalls.pick(faults.requestErrorRate)) {
      stats.callsFailed++;
      return jsonError(response, 500, 'InternalFailure', 'failure injected by the test proxy');
    }
    const call = JSON.parse(body.toString('utf8')) as { StreamName: string; Records: PutRecordsEntry[] };
    const outcomes: ({ ErrorCode: string; ErrorMessage: string } | 'forward')[] = call.Records.map((entry) => {
      if (failedEntries.pick(faults.entryFailureRate)) {
        stats.entriesFailed++;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
      }
      const size = Buffer.byteLength(entry.Data, 'base64') + Buffer.byteLength(entry.PartitionKey);
      if (faults.throttlePerShard && !shards[shardOf(entry.PartitionKey)]!.tryTake(size)) {
        stats.entriesThrottled++;
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard.' };
      }
      return 'forward';
    });
    const forwarded = call.Records.filter((_, i) => outcomes[i] === 'forward');
    let written: { SequenceNumber: string; ShardId: string }[] = [];
    if (forwarded.length > 0) {
      const answer = await forward(incoming, Buffer.from(JSON.stringify({ ...call, Records: forwarded })));
      if (answer.status !== 200) {
        response.writeHead(answer.status, answer.headers);
        return response.end(answer.body);
      }
      written = (JSON.parse(answer.body.toString('utf8')) as { Records: typeof written }).Records;
      stats.entriesWritten += written.length;
    }
    if (forwarded.length > 0 && faults.loseAnswers > 0) {
      faults.loseAnswers--;
      stats.answersLost++;
      incoming.socket.destroy();
      return;
    }
    let next = 0;
    const records = outcomes.map((outcome) => (outcome === 'forward' ? written[next++] : outcome));
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ FailedRecordCount: call.Records.length - forwarded.length, Records: records }));
  };

  const server = createServer((incoming, response) => {
    readBody(incoming)
      .then(async (body) => {
        if (incoming.headers['x-amz-target'] === 'Kinesis_20131202.PutRecords') {
          return handlePutRecords(incoming, response, body);
        }
        const answer = await forward(incoming, body);
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      })
      .catch((error: Error) => jsonError(response, 500, 'InternalFailure', error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    stats,
    /** Holds every PutRecords call (counted, not yet answered) until the returned release; faults apply after it. */
    stall(): () => void {
      let release = () => {};
      stalled = new Promise((resolve) => (release = resolve));
      return () => {
        stalled = undefined;
        release();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
