import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * Opens one TCP port from one security group to another with both rules created in `scope`'s stack, so groups
 * made in an earlier stack never reference a later one (which would make the stacks depend on each other).
 */
export function allowTcp(
  scope: Construct,
  id: string,
  from: ec2.ISecurityGroup,
  to: ec2.ISecurityGroup,
  port: number,
  description: string,
): void {
  new ec2.CfnSecurityGroupEgress(scope, `${id}Egress`, {
    groupId: from.securityGroupId,
    destinationSecurityGroupId: to.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: port,
    toPort: port,
    description,
  });
  new ec2.CfnSecurityGroupIngress(scope, `${id}Ingress`, {
    groupId: to.securityGroupId,
    sourceSecurityGroupId: from.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: port,
    toPort: port,
    description,
  });
}
