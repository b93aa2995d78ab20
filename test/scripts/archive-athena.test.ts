import {
  AthenaClient,
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  ListQueryExecutionsCommand,
} from '@aws-sdk/client-athena';
import { queryAthena } from '../../lib/archive-query';
import { MotoServer, startMotoServer } from '../support/moto-server';

describe('the archive queried on Athena', () => {
  let moto: MotoServer;
  let athena: AthenaClient;

  beforeAll(async () => {
    moto = await startMotoServer();
    athena = new AthenaClient(moto.clientConfig);
    await athena.send(
      new CreateWorkGroupCommand({
        Name: 'events-pipeline-dev',
        Configuration: { ResultConfiguration: { OutputLocation: 's3://query-results/results/' } },
      }),
    );
  });

  afterAll(async () => {
    athena?.destroy();
    await moto?.close();
  });

  it('runs the query in the environment’s workgroup and database, waits for it, and reads every row', async () => {
    // given: the answer moto gives the next query (it runs no SQL), its first row naming the columns as Athena's does
    const cells = (...values: string[]) => ({ Data: values.map((VarCharValue) => ({ VarCharValue })) });
    const answer = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        account_id: '123456789012',
        region: 'us-east-1',
        results: [
          {
            rows: [cells('kind', 'events'), cells('custom', '3'), cells('summary', '12')],
            column_info: [
              { Name: 'kind', Type: 'varchar' },
              { Name: 'events', Type: 'bigint' },
            ],
          },
        ],
      }),
    });
    expect(answer.ok).toBe(true);
    const sql = 'SELECT kind, count(*) AS events FROM events GROUP BY kind ORDER BY kind';

    // when
    const result = await queryAthena(athena, { sql, environment: 'dev', scanLimitBytes: 10e9, pollMs: 10 });

    // then
    expect(result).toMatchObject({
      columns: ['kind', 'events'],
      rows: [
        ['custom', '3'],
        ['summary', '12'],
      ],
    });
    const { QueryExecutionIds: ids = [] } = await athena.send(
      new ListQueryExecutionsCommand({ WorkGroup: 'events-pipeline-dev' }),
    );
    const { QueryExecution: execution } = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: ids.at(-1) }),
    );
    expect(execution).toMatchObject({
      Query: sql,
      WorkGroup: 'events-pipeline-dev',
      QueryExecutionContext: { Database: 'events_pipeline_dev' },
    });
  });

  it('refuses a write before sending it', async () => {
    await expect(
      queryAthena(athena, { sql: 'INSERT INTO events SELECT * FROM events', environment: 'dev', scanLimitBytes: 1 }),
    ).rejects.toThrow('only a query that reads (SELECT, WITH …) runs against the archive, not INSERT');
  });

  it('names the workgroup’s limit when Athena cancels a query that reached it', async () => {
    // Recorded answers: moto does not enforce a workgroup's limit, so Athena's cancellation is played back.
    const answers = [
      { QueryExecutionId: 'q-1' },
      { QueryExecution: { Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 4e9 } } },
      {
        QueryExecution: {
          Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled: it reached the bytes scanned limit' },
          Statistics: { DataScannedInBytes: 10e9 },
        },
      },
    ];
    const recorded = { send: () => Promise.resolve(answers.shift()) } as unknown as AthenaClient;

    await expect(
      queryAthena(recorded, { sql: 'SELECT * FROM events', environment: 'dev', scanLimitBytes: 10e9, pollMs: 1 }),
    ).rejects.toThrow(/^refused: the query reached the workgroup's limit of 10 GB scanned per query \(Query cancelled/);
  });
});
