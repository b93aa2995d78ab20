export type DestinationKind = 'kinesis' | 'firehose';

/** One customer's stream that an environment's events are exported to. */
export interface ExportDestination {
  /** Names the destination in metrics, alarms, the backlog and the status page. */
  readonly id: string;
  /** The SDK environment whose events go there (an id of the tenant file). */
  readonly environment: string;
  readonly kind: DestinationKind;
  readonly region: string;
  /** The customer's Kinesis stream or Firehose delivery stream. */
  readonly streamArn: string;
  /** The role in the customer's account that the exporter assumes; its trust policy requires the external id. */
  readonly roleArn: string;
  readonly externalId: string;
  /** Only evaluations and summaries of these flags; every event when absent. */
  readonly flags?: readonly string[];
}

/** Destinations per pipeline environment (`dev`, `staging`, `prod`, `local`), as reviewed in the repository. */
export type DestinationsFile = Record<string, readonly ExportDestination[]>;

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
// Service, region, account and resource of a stream ARN, per kind.
const STREAM_ARNS: Record<DestinationKind, RegExp> = {
  kinesis: /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/,
  firehose: /^arn:aws[a-z-]*:firehose:([a-z0-9-]+):(\d{12}):deliverystream\/([A-Za-z0-9_.-]{1,64})$/,
};
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
// STS: 2 to 1,224 characters of letters, digits and +=,.@:/- (AssumeRole's ExternalId).
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** The stream's name, the last part of its ARN. */
export function streamNameOf(destination: ExportDestination): string {
  return destination.streamArn.slice(destination.streamArn.lastIndexOf('/') + 1);
}

/**
 * Every problem of one environment's destinations, each naming the destination and the field; empty when they are
 * fit to deploy. `environments` are the SDK environment ids the pipeline knows, when the caller knows them.
 */
export function destinationProblems(
  destinations: readonly ExportDestination[],
  environments?: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  destinations.forEach((destination, index) => {
    const at = (field: string) => `destination ${JSON.stringify(destination.id ?? `#${index}`)}: ${field}`;
    const { id, environment, kind, region, streamArn, roleArn, externalId, flags } = destination;
    if (typeof id !== 'string' || !ID.test(id))
      problems.push(
        `${at('id')} must be lower-case letters, digits and dashes (at most 63), got ${JSON.stringify(id)}`,
      );
    else if (seen.has(id)) problems.push(`${at('id')} is used twice`);
    seen.add(id);
    if (typeof environment !== 'string' || environment === '')
      problems.push(`${at('environment')} must name an SDK environment`);
    else if (environments && !environments.has(environment))
      problems.push(`${at('environment')} ${JSON.stringify(environment)} is not an environment of the tenant file`);
    if (kind !== 'kinesis' && kind !== 'firehose')
      problems.push(`${at('kind')} must be "kinesis" or "firehose", got ${JSON.stringify(kind)}`);
    if (typeof region !== 'string' || !REGION.test(region))
      problems.push(`${at('region')} must be an AWS region like us-east-1, got ${JSON.stringify(region)}`);
    const stream = STREAM_ARNS[kind]?.exec(streamArn);
    if (STREAM_ARNS[kind] && !stream)
      problems.push(
        `${at('streamArn')} must be a ${kind === 'kinesis' ? 'Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)' : 'Firehose delivery stream ARN (arn:aws:firehose:<region>:<account>:deliverystream/<name>)'}, got ${JSON.stringify(streamArn)}`,
      );
    else if (stream && stream[1] !== region)
      problems.push(`${at('streamArn')} is in ${stream[1]} but region says ${region}: the exporter writes to region`);
    if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn))
      problems.push(
        `${at('roleArn')} must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(roleArn)}`,
      );
    if (typeof externalId !== 'string' || !EXTERNAL_ID.test(externalId))
      problems.push(`${at('externalId')} must be 2 to 1,224 characters of letters, digits and +=,.@:/-_`);
    if (
      flags !== undefined &&
      (!Array.isArray(flags) || flags.length === 0 || flags.some((f) => typeof f !== 'string' || f === ''))
    )
      problems.push(`${at('flags')} must be a non-empty list of flag keys, or absent for every event`);
  });
  return problems;
}

/** The destinations of one pipeline environment, checked; throws with every problem at once. */
export function destinationsOf(
  file: DestinationsFile,
  pipelineEnvironment: string,
  environments?: ReadonlySet<string>,
): readonly ExportDestination[] {
  const destinations: unknown = file[pipelineEnvironment] ?? [];
  if (!Array.isArray(destinations))
    throw new Error(
      `export destinations of ${pipelineEnvironment} must be a list, got ${JSON.stringify(destinations)}`,
    );
  const listed = destinations as ExportDestination[];
  const problems = destinationProblems(listed, environments);
  if (problems.length > 0)
    throw new Error(`export destinations of ${pipelineEnvironment} are not valid:\n- ${problems.join('\n- ')}`);
  return listed;
}
