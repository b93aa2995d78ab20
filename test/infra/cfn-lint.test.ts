import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS } from '../../lib/config/environments';
import type { ExportDestination } from '../../lambdas/exporter/destinations';
import { synthPipeline } from '../support/synth';

const ROOT = join(__dirname, '..', '..');
const PINNED = /^cfn-lint==(\S+)$/m.exec(readFileSync(join(ROOT, 'requirements.txt'), 'utf8'))![1];

interface Finding {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

/** Runs cfn-lint with the project's settings (.cfnlintrc.yaml: the checks ignored, and why). */
function cfnLint(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('cfn-lint', ['--config-file', join(ROOT, '.cfnlintrc.yaml'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`cfn-lint did not run (${run.error.message}): pip install -r requirements.txt`);
  return run;
}

const exampleDestination = (environment: string): ExportDestination => ({
  id: `acme-${environment}`,
  environment: 'env-acme',
  kind: 'kinesis',
  region: 'eu-west-1',
  streamArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/acme-events',
  roleArn: 'arn:aws:iam::111122223333:role/data-export',
  externalId: 'acme-external-id',
});

describe('cfn-lint, the AWS CloudFormation linter', () => {
  it('is the version requirements.txt pins', () => {
    expect(cfnLint(['--version']).stdout.trim()).toBe(`cfn-lint ${PINNED}`);
  });

  it('finds nothing in any template of any environment, the Export stack included', () => {
    // given: each environment with one export destination, as no shipped environment has one yet
    const templates = ENVIRONMENTS.flatMap((config) =>
      synthPipeline(config, { exportDestinations: { [config.name]: [exampleDestination(config.name)] } })
        .stage.synth()
        .stacks.map((stack) => stack.templateFullPath),
    );

    // when
    const run = cfnLint(['--format', 'json', ...templates]);

    // then
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    const readable = findings.map(
      (each) => `${each.Rule.Id} ${each.Location.Path.join('/')} in ${each.Filename}: ${each.Message}`,
    );
    expect(readable).toEqual([]);
    expect(templates).toHaveLength(ENVIRONMENTS.length * 11);
    expect(templates.filter((template) => /Export[0-9A-F]{8}\.template\.json$/.test(template))).toHaveLength(
      ENVIRONMENTS.length,
    );
    expect(run.status).toBe(0);
  });

  it('reports an error it is shown, so a clean result is not a linter that read nothing', () => {
    // given: the dev stream stack with a shard count CloudFormation refuses
    const pipeline = synthPipeline(ENVIRONMENTS[0]!);
    const artifact = pipeline.stage.synth().getStackArtifact(pipeline.stream.artifactId);
    const template = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    Object.values(template.Resources).find((each) => each.Type === 'AWS::Kinesis::Stream')!.Properties.ShardCount =
      'two';
    const folder = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    const broken = join(folder, 'broken.template.json');
    writeFileSync(broken, JSON.stringify(template));

    try {
      // when
      const run = cfnLint(['--format', 'json', broken]);

      // then
      const findings = JSON.parse(run.stdout) as Finding[];
      expect(findings.map((each) => [each.Level, each.Location.Path.at(-1)])).toContainEqual(['Error', 'ShardCount']);
      expect(run.status).not.toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
