import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DuckDBInstance, StatementType } from '@duckdb/node-api';
import { ARCHIVE_COLUMNS, ARCHIVE_PARTITIONS, ARCHIVE_TABLE, duckDbType } from './archive-schema';
import { ARCHIVE_FILE_EXTENSION } from './archive-layout';

/** What a query answered: its columns, its rows as text (null for SQL NULL), and what it read. */
export interface ArchiveAnswer {
  readonly columns: string[];
  readonly rows: (string | null)[][];
  /** Bytes Athena scanned (and billed); locally, the bytes of the archive objects the query could read. */
  readonly bytesScanned: number;
}

/** The Glue database and Athena workgroup of an environment's archive. */
export const archiveDatabase = (environment: string): string => `events_pipeline_${environment.replace(/-/g, '_')}`;
export const archiveWorkgroup = (environment: string): string => `events-pipeline-${environment}`;

/** Where the table's objects are, under the archive's root (a bucket, or the local archive folder). */
export const archiveObjectsGlob = (root: string): string =>
  join(root, 'events', 'environment=*', 'dt=*', 'hour=*', `*${ARCHIVE_FILE_EXTENSION}`);

const READING_STATEMENTS = /^(select|with|values|show|describe|explain)\b/i;
const stripComments = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim();

/** Why a query may not run against the archive: only one statement that reads; null when it may. */
export function readOnlyProblem(sql: string): string | null {
  const statement = stripComments(sql).replace(/;\s*$/, '');
  if (statement === '') return 'the query is empty';
  if (statement.includes(';')) return 'one statement at a time';
  if (!READING_STATEMENTS.test(statement)) {
    const verb = statement.split(/\s+/)[0]!.toUpperCase();
    return `only a query that reads (SELECT, WITH …) runs against the archive, not ${verb}`;
  }
  return null;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * Runs one reading query over the local archive folder with DuckDB, as Athena runs it over the bucket: the table
 * `events`, its columns from the archive's schema and the partitions of its prefix as text. DuckDB may read the
 * archive folder and nothing else on this machine, and only a SELECT runs, so no query can write anywhere.
 */
export async function queryLocalArchive(archiveDirectory: string, sql: string): Promise<ArchiveAnswer> {
  const problem = readOnlyProblem(sql);
  if (problem) throw new Error(problem);
  const root = resolve(archiveDirectory);
  if (!existsSync(join(root, 'events'))) {
    throw new Error(`the archive at ${root} has no objects yet: the local archive writes one every few seconds`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns = Object.entries(ARCHIVE_COLUMNS)
      .map(([name, type]) => `'${name}': '${duckDbType(type).replace(/'/g, "''")}'`)
      .join(', ');
    const partitions = ARCHIVE_PARTITIONS.map((name) => `'${name}': 'VARCHAR'`).join(', ');
    const glob = archiveObjectsGlob(root).replace(/'/g, "''");
    await connection.run(
      `CREATE VIEW ${ARCHIVE_TABLE} AS SELECT * FROM read_json('${glob}', format = 'newline_delimited', ` +
        `compression = 'gzip', columns = {${columns}}, hive_partitioning = true, hive_types = {${partitions}})`,
    );
    await connection.run(`SET allowed_directories = ['${root.replace(/'/g, "''")}']`);
    await connection.run('SET enable_external_access = false');
    const statements = await connection.extractStatements(sql);
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT && prepared.statementType !== StatementType.EXPLAIN) {
      throw new Error('only a query that reads runs against the archive');
    }
    const result = await prepared.runAndReadAll();
    const sizes = await connection.runAndReadAll(
      `SELECT coalesce(sum(size), 0)::BIGINT AS bytes FROM read_blob('${glob}')`,
    );
    return {
      columns: result.columnNames(),
      rows: result.getRowsJson().map((row) => row.map(text)),
      bytesScanned: Number(sizes.getRowObjectsJson()[0]!.bytes),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface AthenaQuery {
  readonly sql: string;
  readonly environment: string;
  /** The workgroup's per-query limit, named when Athena cancels a query that reached it. */
  readonly scanLimitBytes: number;
  readonly pollMs?: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const gigabytes = (bytes: number) => `${(bytes / 1e9).toLocaleString('en-US', { maximumFractionDigits: 2 })} GB`;

/** Runs one reading query on Athena in the environment's workgroup and database, and waits for its answer. */
export async function queryAthena(athena: Pick<AthenaClient, 'send'>, query: AthenaQuery): Promise<ArchiveAnswer> {
  const problem = readOnlyProblem(query.sql);
  if (problem) throw new Error(problem);
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      WorkGroup: archiveWorkgroup(query.environment),
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: archiveDatabase(query.environment) },
    }),
  );
  for (;;) {
    const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = execution?.Status?.State ?? 'QUEUED';
    if (TERMINAL.has(state)) {
      const reason = execution?.Status?.StateChangeReason ?? state;
      const scanned = execution?.Statistics?.DataScannedInBytes ?? 0;
      // Athena cancels a query at the workgroup's limit.
      if (state !== 'SUCCEEDED' && (scanned >= query.scanLimitBytes || /scanned limit|data scanned/i.test(reason))) {
        throw new Error(
          `refused: the query reached the workgroup's limit of ${gigabytes(query.scanLimitBytes)} scanned per query ` +
            `(${reason}); narrow it by dt and hour, the partitions, to read less`,
        );
      }
      if (state !== 'SUCCEEDED') throw new Error(`Athena: ${reason}`);
      return { ...(await athenaRows(athena, id!)), bytesScanned: scanned };
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, query.pollMs ?? 500));
  }
}

async function athenaRows(
  athena: Pick<AthenaClient, 'send'>,
  id: string,
): Promise<Pick<ArchiveAnswer, 'columns' | 'rows'>> {
  const rows: (string | null)[][] = [];
  const columns: string[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }));
    if (first)
      columns.push(...(page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? ''));
    const pageRows = (page.ResultSet?.Rows ?? []).map((row) =>
      (row.Data ?? []).map((cell) => cell.VarCharValue ?? null),
    );
    // A SELECT's first row names its columns.
    rows.push(...(first ? pageRows.slice(1) : pageRows));
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return { columns, rows };
}

/** An answer as a table of text, one row a line, columns padded to their widest cell. */
export function formatAnswer(answer: ArchiveAnswer): string {
  const cells = [answer.columns, ...answer.rows.map((row) => row.map((cell) => cell ?? 'NULL'))];
  const widths = answer.columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
