import { runScript as run } from '../support/run-script';

const SCRIPTS = {
  'npm start': 'local/main.ts',
  'npm run start:producer': 'producer/main.ts',
  'npm run plan': 'scripts/plan.ts',
  'npm run load': 'scripts/load.ts',
  'npm run replay': 'scripts/replay.ts',
  'npm run query': 'scripts/query.ts',
  'npm run redrive': 'scripts/redrive.ts',
  'npm run export': 'scripts/export.ts',
} as const;

/** Nothing answers here: port 1 on the loopback is reserved and refuses at once. */
const NOBODY = 'http://127.0.0.1:1';

describe('the scripts a newcomer runs', () => {
  it.each(Object.entries(SCRIPTS))('%s answers --help with its options and an example', async (name, script) => {
    const { code, output } = await run(script, ['--help']);

    expect(code).toBe(0);
    expect(output).toContain(`usage: ${name} --`);
    expect(output).toMatch(/\noptions:\n {2}--/);
    expect(output).toMatch(/\nexamples?:\n {2}(npm|[A-Z_]+=)/);
    expect(output).not.toMatch(/NodeVersionSupportWarning/);
  });

  it.each([
    [
      'a flag it does not have, as typed',
      'scripts/plan.ts',
      ['--eps', '5'],
      2,
      /npm run plan has no option --eps\n.*--help/,
    ],
    [
      'a negative number, named by its flag',
      'scripts/plan.ts',
      ['--events-per-second', '-5', '--event-bytes', '70'],
      2,
      /--events-per-second must be from 1 to .*, got -5/,
    ],
    [
      'a word for a number',
      'scripts/plan.ts',
      ['--events-per-second', 'many', '--event-bytes', '70'],
      2,
      /--events-per-second must be a number, got "many"/,
    ],
    ['a missing value', 'scripts/load.ts', ['--rate'], 2, /--rate needs a value \(N\)/],
    [
      'events it does not have',
      'scripts/load.ts',
      ['--rate', '100', '--events', 'random'],
      2,
      /--events must be one of realistic, repetitive, got "random"/,
    ],
    [
      'a missing required flag',
      'scripts/replay.ts',
      ['--env', 'local'],
      2,
      /--consumer contexts-indexer\|flag-status\|experiments is required/,
    ],
    [
      'a time it cannot read',
      'scripts/replay.ts',
      ['--env', 'local', '--consumer', 'flag-status', '--from', 'yesterday'],
      2,
      /--from must be an ISO-8601 time/,
    ],
    [
      'no running npm start',
      'scripts/replay.ts',
      ['--env', 'local', '--consumer', 'flag-status', '--from', '-2h', '--url', NOBODY],
      1,
      /no local pipeline answers at http:\/\/127\.0\.0\.1:1 .*start it with npm start, or pass --url/,
    ],
    [
      'an unknown environment',
      'scripts/query.ts',
      ['contexts', '--env', 'nowhere', '--environment', 'e'],
      2,
      /--env must be local or one of dev, /,
    ],
    [
      'nothing to read',
      'scripts/query.ts',
      ['--env', 'local', '--environment', 'e'],
      2,
      /name what to read first: flag, contexts, experiment or archive/,
    ],
    [
      'a query that would write to the archive',
      'scripts/query.ts',
      ['archive', "COPY (SELECT 1) TO 'x.csv'", '--env', 'local', '--url', NOBODY],
      2,
      /only a query that reads \(SELECT, WITH …\) runs against the archive, not COPY/,
    ],
    [
      'a flag without its environment',
      'scripts/query.ts',
      ['flag', '--env', 'local', '--flag', 'f'],
      2,
      /--environment ID is required to read a flag/,
    ],
    [
      'a load nobody takes',
      'scripts/load.ts',
      ['--rate', '100', '--duration', '1', '--url', NOBODY],
      1,
      /no answer from http:\/\/127\.0\.0\.1:1 .*is npm start running there\? Pass --url/,
    ],
  ] as const)('names the fix for %s', async (_case, script, args, exitCode, message) => {
    const { code, output } = await run(script, args);

    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(code).toBe(exitCode);
  });

  it('refuses a PORT it cannot use before starting anything', async () => {
    const { code, output } = await run('local/main.ts', [], {
      PORT: 'abc',
      LOCAL_DATA_DIR: '/nonexistent/never-created',
    });

    expect(code).toBe(2);
    expect(output).toMatch(/PORT must be an integer from 0 to 65535, got "abc"/);
    expect(output).not.toMatch(/kinesis|redis|opensearch/);
  });

  it('names the tenant setting when the tenant file is missing, and says nothing of a last good copy', async () => {
    const { code, output } = await run('producer/main.ts', [], {
      STREAM_NAME: 'events-local',
      PORT: '0',
      TENANT_CONFIG_FILE: '/nonexistent/tenants.json',
    });

    expect(code).toBe(1);
    expect(output).toMatch(
      /tenant config could not be loaded from file \/nonexistent\/tenants.json.*Check TENANT_CONFIG_FILE/,
    );
    expect(output).not.toMatch(/last good copy/);
  });
});
