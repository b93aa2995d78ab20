/** The interface endpoints (PrivateLink) in every zone of each environment's VPC: billed per zone-hour and per GB. */
export const INTERFACE_ENDPOINTS = [
  'Kinesis',
  'Logs',
  'Ssm',
  'SsmMessages',
  'Ec2Messages',
  'SecretsManager',
  'CloudFormation',
  'AutoScaling',
] as const;

export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];
