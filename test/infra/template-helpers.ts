import type { Template } from 'aws-cdk-lib/assertions';

type Resources = Record<string, { Properties?: Record<string, unknown> }>;

/** The logical id of the function whose description starts with `prefix`. */
export function functionId(template: Template, prefix: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const found = Object.entries(functions).find(([, resource]) =>
    String(resource.Properties?.Description ?? '').startsWith(prefix),
  );
  if (!found) throw new Error(`no function described as "${prefix}..."`);
  return found[0];
}

/** Every action the inline policies attached to a function's role allow. */
export function allowedActions(template: Template, functionLogicalId: string): string[] {
  const fn = (template.findResources('AWS::Lambda::Function') as Resources)[functionLogicalId];
  const role = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties?.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
    )
    .flatMap(
      (policy) =>
        (policy.Properties?.PolicyDocument as { Statement: { Effect: string; Action: unknown }[] })
          .Statement,
    )
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      Array.isArray(statement.Action)
        ? (statement.Action as string[])
        : [statement.Action as string],
    );
}
