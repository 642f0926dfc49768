import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeGrantWildcards } from './grant-findings.ts';

/**
 * A role EventBridge Scheduler assumes to invoke one function. Explicit (instead of the target's
 * shared default role) so the invoke grant's version wildcard is acknowledged on this very role.
 */
export function schedulerInvokeRole(scope: Construct, id: string, description: string): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    description,
  });
  acknowledgeGrantWildcards(role, [
    {
      matches: (finding, actions) =>
        finding.startsWith('Resource::') &&
        finding.endsWith('.Arn>:*') &&
        actions.every((action) => action === 'lambda:InvokeFunction'),
      reason:
        "CDK's invoke grant covers the target function's own versions and aliases (':*'), no other function.",
    },
  ]);
  return role;
}
