import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../bundling';
import { ConsumerSettings } from '../config/environment-config';
import { generationEnv } from '../../lambdas/shared/consumer-environment';

const PROJECT_ROOT = join(__dirname, '..', '..');

export interface PipelineFunctionProps {
  readonly entry: Exclude<keyof typeof ENTRY_POINTS, 'producer'>;
  readonly memoryMb: number;
  readonly timeout: Duration;
  /** Caps concurrency so the function cannot flood its store. @default no reservation */
  readonly reservedConcurrency?: number;
  /** @default not in a VPC */
  readonly vpc?: ec2.IVpc;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default a role CDK creates */
  readonly role?: iam.IRole;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The house Lambda: Node 24 on ARM, bundled alone by esbuild with the project's settings, its own log group with
 * retention, JSON logs, source maps; binder methods grant access and set the environment together.
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, ENTRY_POINTS[props.entry]),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: props.role,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : undefined,
      securityGroups: props.securityGroups,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_METRICS_NAMESPACE: 'EventsPipeline/Consumers' },
      bundling: {
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: BUNDLE_OPTIONS.sourcemap,
        target: BUNDLE_OPTIONS.target,
        format: OutputFormat.CJS,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }

  /** Lets the function reach the domain with SigV4 through its role, and tells it where the domain is. */
  bindOpenSearch(
    domain: opensearch.IDomain,
    alias: string,
    contexts: { readonly primaryShards: number; readonly lastSeenResolutionMinutes: number },
  ): this {
    domain.grantReadWrite(this.function);
    this.function.addEnvironment('OPENSEARCH_URL', `https://${domain.domainEndpoint}`);
    this.function.addEnvironment('OPENSEARCH_SIGV4', 'true');
    this.function.addEnvironment('CONTEXTS_ALIAS', alias);
    this.function.addEnvironment('CONTEXTS_PRIMARY_SHARDS', String(contexts.primaryShards));
    this.function.addEnvironment('LAST_SEEN_RESOLUTION_MINUTES', String(contexts.lastSeenResolutionMinutes));
    return this;
  }

  /** Lets the function write under the prefix only, and tells it where that is. */
  bindPoisonBucket(bucket: s3.IBucket, prefix: string): this {
    bucket.grantPut(this.function, `${prefix}*`);
    this.function.addEnvironment('POISON_BUCKET', bucket.bucketName);
    this.function.addEnvironment('POISON_PREFIX', prefix);
    return this;
  }

  /** Tells the function which generation of its store it writes: the replay's, from its start, or the first. */
  bindGeneration(settings: ConsumerSettings): this {
    for (const [name, value] of Object.entries(generationEnv(settings.replay)))
      this.function.addEnvironment(name, value);
    return this;
  }

  /** Points the function at Redis over TLS, with the AUTH token read from Secrets Manager at cold start. */
  bindRedis(endpoint: { host: string; port: string }, authToken: secretsmanager.ISecret, keyPrefix: string): this {
    authToken.grantRead(this.function);
    this.function.addEnvironment('REDIS_URL', `redis://${endpoint.host}:${endpoint.port}`);
    this.function.addEnvironment('REDIS_TLS', 'true');
    this.function.addEnvironment('REDIS_AUTH_SECRET_ARN', authToken.secretArn);
    this.function.addEnvironment('KEY_PREFIX', keyPrefix);
    return this;
  }
}
