import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { transformArchiveRecords } from '../lambdas/archive-transform/handler';
import { ARCHIVE_EXAMPLES, EXAMPLE_COLUMNS } from '../lib/archive-examples';
import { queryLocalArchive } from '../lib/archive-query';
import { ARCHIVE_COLUMNS, duckDbType } from '../lib/archive-schema';
import { firehoseEventOf } from '../test/support/stream-events';
import { pack } from './compression';
import { EventCorpus } from './corpus';
import { MEASURED_ARCHIVE_FILE } from '../lib/planning/consumer-figures';
import { PRICES } from '../lib/planning/prices';
import { writeMeasuredFigure, writeResult } from './results-file';

/** Payloads of the realistic corpus: about 270,000 events, as many records as a busy shard writes in 10 minutes. */
const PAYLOADS = 30_000;
/** The most records Firehose hands the transform at once at its 3 MB hint (25 KB records). */
const RECORDS_PER_INVOCATION = 120;

/** The archive object the transform's answers make: its GZIP members, concatenated as Firehose writes them. */
function archiveObject(records: readonly Buffer[]): { object: Buffer; jsonBytes: number; events: number } {
  const members: Buffer[] = [];
  let events = 0;
  for (let at = 0; at < records.length; at += RECORDS_PER_INVOCATION) {
    const batch = records.slice(at, at + RECORDS_PER_INVOCATION);
    const result = transformArchiveRecords(firehoseEventOf(batch, `bench-${at}`));
    events += result.events;
    for (const answer of result.response.records) members.push(Buffer.from(answer.data!, 'base64'));
  }
  const object = Buffer.concat(members);
  return { object, jsonBytes: gunzipSync(object).length, events };
}

interface ExampleScan {
  readonly rows: number;
  readonly gzipJsonBytes: number;
  readonly parquetSnappyBytes: number;
  readonly parquetGzipBytes: number;
  readonly parquetSnappyShare: number;
}

interface ColumnChunk {
  readonly column: string;
  readonly bytes: number;
}

/**
 * Which archive format to keep: GZIP JSON lines, as the transform writes them, against Parquet, as Firehose could
 * convert them to against the Glue table. Bytes stored per event, and bytes each example query scans: Athena reads a
 * JSON object whole, and of a Parquet object only the column chunks the query names (and its footer). The Parquet
 * files are DuckDB's (row groups of 122,880 rows), not Firehose's Hive writer's, so their sizes are close, not equal.
 */
export async function benchArchive(): Promise<Record<string, unknown>> {
  const corpus = new EventCorpus(1);
  const packed = pack(
    Array.from({ length: PAYLOADS }, () => corpus.payload()),
    'deflate-raw',
  );
  const directory = await mkdtemp(join(tmpdir(), 'bench-archive-'));
  try {
    const partition = join(directory, 'events', 'environment=bench', 'dt=2026-12-04', 'hour=10');
    await mkdir(partition, { recursive: true });
    const { object, jsonBytes, events } = archiveObject(packed.records);
    const jsonFile = join(partition, 'archive.ndjson.gz');
    await writeFile(jsonFile, object);

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns = Object.entries(ARCHIVE_COLUMNS)
      .map(([name, type]) => `'${name}': '${duckDbType(type)}'`)
      .join(', ');
    const parquet: Record<string, { bytes: number; chunks: ColumnChunk[] }> = {};
    for (const codec of ['snappy', 'gzip'] as const) {
      const file = join(directory, `archive-${codec}.parquet`);
      await connection.run(
        `COPY (SELECT * FROM read_json('${jsonFile}', format = 'newline_delimited', compression = 'gzip', ` +
          `columns = {${columns}})) TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`,
      );
      const metadata = await connection.runAndReadAll(
        `SELECT path_in_schema AS path, total_compressed_size AS bytes FROM parquet_metadata('${file}')`,
      );
      parquet[codec] = {
        bytes: (await stat(file)).size,
        chunks: metadata.getRowObjectsJson().map((row) => ({
          column: (row.path as string).split(', ')[0]!,
          bytes: Number(row.bytes),
        })),
      };
    }
    connection.closeSync();
    instance.closeSync();

    // The examples ask of the corpus's most frequent flag, user and SDK, so each answer has rows.
    const mostFrequent = async (sql: string) =>
      (await queryLocalArchive(directory, `${sql} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)).rows[0]![0]!;
    const subjects = {
      flag: await mostFrequent(
        `SELECT flag.key FROM events CROSS JOIN UNNEST(flags) AS f(flag) WHERE kind = 'summary'`,
      ),
      user: await mostFrequent(
        `SELECT context.key FROM events CROSS JOIN UNNEST(contexts) AS c(context) WHERE context.kind = 'user'`,
      ),
      sdk: await mostFrequent('SELECT sdk FROM events'),
    };
    const columnBytes = (codec: 'snappy' | 'gzip', needed: readonly string[]) => {
      const { bytes, chunks } = parquet[codec]!;
      // A reader fetches the footer too: what the file holds beyond its column chunks.
      const footer = bytes - chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
      return footer + chunks.filter((chunk) => needed.includes(chunk.column)).reduce((sum, c) => sum + c.bytes, 0);
    };
    const questions: Record<keyof typeof ARCHIVE_EXAMPLES, string> = {
      flagEvaluationsByDay: ARCHIVE_EXAMPLES.flagEvaluationsByDay(subjects.flag),
      contextHistory: ARCHIVE_EXAMPLES.contextHistory('user', subjects.user),
      eventsOfAnSdk: ARCHIVE_EXAMPLES.eventsOfAnSdk(subjects.sdk),
    };
    const scanned: Record<string, ExampleScan> = {};
    for (const [example, sql] of Object.entries(questions) as [keyof typeof ARCHIVE_EXAMPLES, string][]) {
      const needed = EXAMPLE_COLUMNS[example];
      scanned[example] = {
        rows: (await queryLocalArchive(directory, sql)).rows.length,
        gzipJsonBytes: object.length,
        parquetSnappyBytes: columnBytes('snappy', needed),
        parquetGzipBytes: columnBytes('gzip', needed),
        parquetSnappyShare: Number((columnBytes('snappy', needed) / object.length).toFixed(3)),
      };
    }
    const perEvent = (bytes: number) => Number((bytes / events).toFixed(1));
    // Per billion events a month: what each format stores, converts, and scans when each example reads it all once.
    const billion = 1e9 / events;
    const exampleScans = Object.values(scanned);
    const dollars = (value: number) => Number(value.toFixed(2));
    const scanCost = (bytes: (each: (typeof exampleScans)[number]) => number) =>
      dollars(((exampleScans.reduce((sum, each) => sum + bytes(each), 0) * billion) / 1e12) * PRICES.athena.scannedTb);
    const result = {
      events,
      records: packed.records.length,
      bytesPerEvent: {
        jsonLines: perEvent(jsonBytes),
        gzipJson: perEvent(object.length),
        parquetSnappy: perEvent(parquet.snappy!.bytes),
        parquetGzip: perEvent(parquet.gzip!.bytes),
      },
      storedShareOfGzipJson: {
        parquetSnappy: Number((parquet.snappy!.bytes / object.length).toFixed(3)),
        parquetGzip: Number((parquet.gzip!.bytes / object.length).toFixed(3)),
      },
      scannedByExample: scanned,
      subjects,
      perBillionEventsDollars: {
        storageMonthGzipJson: dollars(((object.length * billion) / 1e9) * PRICES.s3.standardGbMonth),
        storageMonthParquetSnappy: dollars(((parquet.snappy!.bytes * billion) / 1e9) * PRICES.s3.standardGbMonth),
        storageMonthParquetGzip: dollars(((parquet.gzip!.bytes * billion) / 1e9) * PRICES.s3.standardGbMonth),
        // Firehose bills conversion by the JSON it converts; Athena bills a rewrite by the GZIP JSON it scans.
        firehoseConversionToParquet: dollars(((jsonBytes * billion) / 1e9) * PRICES.firehose.formatConversionGb),
        athenaRewriteToParquet: dollars(((object.length * billion) / 1e12) * PRICES.athena.scannedTb),
        examplesScanGzipJson: scanCost((each) => each.gzipJsonBytes),
        examplesScanParquetSnappy: scanCost((each) => each.parquetSnappyBytes),
        examplesScanParquetGzip: scanCost((each) => each.parquetGzipBytes),
      },
      setup: { payloads: PAYLOADS, node: process.version, parquetWriter: 'DuckDB' },
    };
    await writeResult('archive.json', result);
    await writeMeasuredFigure(MEASURED_ARCHIVE_FILE, {
      measuredWith: 'npm run bench -- archive',
      corpus: 'realistic: bench/corpus.ts, seed 1',
      archiveFormat: 'GZIP JSON lines',
      storedBytesPerEvent: result.bytesPerEvent.gzipJson,
    });
    return result;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
