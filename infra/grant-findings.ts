import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** One kind of wildcard a CDK grant writes, and why it is acceptable. */
export interface GrantWildcard {
  /** The finding as cdk-nag renders it (`Action::...` or `Resource::...`) and its statement's actions. */
  readonly matches: (finding: string, actions: readonly string[]) => boolean;
  /** Why the wildcard is needed; shown in the acknowledgement. */
  readonly reason: string;
}

/**
 * Acknowledges the AwsSolutions-IAM5 findings that CDK's own grants produce under `scope`, each
 * with its reason. The finding ids embed synthesized names (logical ids, export names), so they
 * are computed once references are resolved, from the same rendering cdk-nag uses; a wildcard
 * that matches no rule stays unacknowledged and fails the cdk-nag test.
 */
export function acknowledgeGrantWildcards(
  scope: IConstruct,
  wildcards: readonly GrantWildcard[],
): void {
  scope.node.addValidation({
    validate: () => {
      for (const policy of scope.node.findAll()) {
        if (!(policy instanceof iam.CfnPolicy || policy instanceof iam.CfnManagedPolicy)) continue;
        for (const { finding, actions } of wildcardFindings(policy)) {
          const wildcard = wildcards.find((rule) => rule.matches(finding, actions));
          if (wildcard) {
            Validations.of(policy).acknowledge({
              id: `AwsSolutions-IAM5[${finding}]`,
              reason: wildcard.reason,
            });
          }
        }
      }
      return [];
    },
  });
}

interface ResolvedStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

function wildcardFindings(
  policy: iam.CfnPolicy | iam.CfnManagedPolicy,
): { finding: string; actions: string[] }[] {
  const document = Stack.of(policy).resolve(policy.policyDocument) as {
    Statement?: ResolvedStatement[];
  };
  return (document.Statement ?? [])
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => {
      const actions = asArray(statement.Action) as string[];
      const resources = asArray(statement.Resource).map((resource) =>
        flattenCfnReference(resource),
      );
      return [
        ...actions.filter((action) => action.includes('*')).map((action) => `Action::${action}`),
        ...resources
          .filter((resource) => resource.includes('*'))
          .map((resource) => `Resource::${resource}`),
      ].map((finding) => ({ finding, actions }));
    });
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
