import type { Template } from 'aws-cdk-lib/assertions';

interface Resource {
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
}

/** The logical id of the function whose description starts with `prefix`. */
export function functionId(template: Template, prefix: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const found = Object.entries(functions).find(([, resource]) =>
    String(resource.Properties.Description ?? '').startsWith(prefix),
  );
  if (!found) throw new Error(`no function described as "${prefix}..."`);
  return found[0];
}

/** Every action the inline policies attached to a function's role allow. */
export function allowedActions(template: Template, functionLogicalId: string): string[] {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const fn = functions[functionLogicalId];
  if (!fn) throw new Error(`no function ${functionLogicalId}`);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
}
