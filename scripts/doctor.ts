import { CommandOption, CommandSpec, runCommand } from './command';
import { deployedEnvironment } from './environment-option';
import { awsClients, deployedChecks, doctorTable, DoctorRow, openSearchClusterHealth } from '../lib/doctor/doctor';
import { localChecks } from '../local/doctor-checks';
import { runningPipeline } from '../local/local-control';

const spec = {
  name: 'npm run doctor',
  summary:
    'Checks a pipeline after a deploy, or the running npm start: the stream and its shards, each consumer’s ' +
    'mapping, the stores, the fleet, alarms in ALARM and what was set aside. One table; exit 1 on any red row.',
  options: {
    env: { type: 'string', value: 'local|ENV', required: true, description: 'local, or an environment of lib/config' },
  },
  examples: ['npm run doctor -- --env local', 'npm run doctor -- --env prod'],
  notes:
    'Deployed, it reads the stacks’ outputs with the shell’s AWS credentials. The OpenSearch cluster health is ' +
    'asked of the domain’s endpoint, which answers inside the VPC only: run it from there (Session Manager on an ' +
    'instance of the fleet) for that row to be green.',
} as const satisfies CommandSpec<Record<string, CommandOption>>;

runCommand(spec, async ({ values }) => {
  let rows: DoctorRow[];
  if (values.env === 'local') {
    const running = runningPipeline();
    if (!running) throw new Error('no npm start is running here (.local/running.json is missing): start it first');
    rows = await localChecks(running);
  } else {
    const config = deployedEnvironment(values.env);
    rows = await deployedChecks(config, awsClients(config.region), (endpoint) =>
      openSearchClusterHealth(`https://${endpoint}`, config.region),
    );
  }
  console.log(doctorTable(rows));
  if (rows.some((row) => !row.healthy)) process.exitCode = 1;
});
