import type { Template } from 'aws-cdk-lib/assertions';

interface Resource {
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, unknown>;
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

/** Every statement the inline policies attached to a function's role allow. */
export function allowedStatements(template: Template, functionLogicalId: string): Statement[] {
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
    .filter((statement) => statement.Effect === 'Allow');
}

/** Every action the inline policies attached to a function's role allow, with or without a condition. */
export function allowedActions(template: Template, functionLogicalId: string): string[] {
  return allowedStatements(template, functionLogicalId).flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
}

/** The actions a function's role allows without any condition. */
export function unconditionalActions(template: Template, functionLogicalId: string): string[] {
  return allowedStatements(template, functionLogicalId)
    .filter((statement) => statement.Condition === undefined)
    .flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
}

/** The partitions a function's role may write, by the `dynamodb:LeadingKeys` of its statements. */
export function writablePartitions(template: Template, functionLogicalId: string): unknown[] {
  return allowedStatements(template, functionLogicalId).flatMap((statement) => {
    const condition = statement.Condition?.['ForAllValues:StringEquals'] as
      | Record<string, unknown[]>
      | undefined;
    return condition?.['dynamodb:LeadingKeys'] ?? [];
  });
}
