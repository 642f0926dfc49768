import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EnvName } from '#shared/config/lambda-env.ts';
import { buildTestApp } from './build-test-app.ts';
import { functionId } from './template-helpers.ts';

interface Resource {
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function service(): Template {
  return Template.fromStack(buildTestApp().service);
}

function secretId(template: Template): string {
  const [id, ...others] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
  expect(others, 'one secret').toEqual([]);
  return id as string;
}

/** The roles whose inline policies allow an action of Secrets Manager, with what they allow. */
function secretReaders(template: Template): { roles: string[]; statement: Statement }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
    ).map((statement) => ({
      roles: (policy.Properties.Roles as { Ref: string }[]).map((ref) => ref.Ref),
      statement,
    })),
  );
}

function roleOf(template: Template, functionLogicalId: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const fn = functions[functionLogicalId];
  if (!fn) throw new Error(`no function ${functionLogicalId}`);
  return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

describe('the cursor signing key', () => {
  it('is a Secrets Manager secret whose value CloudFormation generates per deployment', () => {
    const template = service();
    const secret = template.findResources('AWS::SecretsManager::Secret')[secretId(template)] as
      | Resource
      | undefined;
    expect(secret?.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });

  it('reaches the api function by reference: its ARN in CURSOR_SECRET_ARN', () => {
    const template = service();
    const api = template.findResources('AWS::Lambda::Function')[
      functionId(template, 'Serves matches')
    ] as Resource;
    const variables = (api.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables[EnvName.cursorSecretArn]).toEqual({ Ref: secretId(template) });
  });

  it('may be read by the api function, read only, and by no other function', () => {
    const template = service();
    const readers = secretReaders(template);
    expect(readers.flatMap((reader) => reader.roles)).toEqual([
      roleOf(template, functionId(template, 'Serves matches')),
    ]);
    for (const { statement } of readers) {
      expect([statement.Action].flat().sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      expect(statement.Resource).toEqual({ Ref: secretId(template) });
    }
  });

  it('appears in no function environment as plain text', () => {
    const template = service();
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    for (const [id, fn] of Object.entries(functions)) {
      const variables =
        (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables ?? {};
      for (const [name, value] of Object.entries(variables)) {
        if (!/SECRET|KEY|TOKEN|PASSWORD/i.test(name)) continue;
        expect(value, `${id} ${name}`).toEqual({ Ref: secretId(template) });
      }
      expect(JSON.stringify(variables), id).not.toMatch(/SecretString|resolve:secretsmanager/);
    }
  });
});
