import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CURSOR_KEY_PK, FEEDBACK_PK, PROFILE_PK } from '#shared/store/dynamodb-keys.ts';
import { buildTestApp } from './build-test-app.ts';
import { functionId } from './template-helpers.ts';

interface Resource {
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function service(): Template {
  return Template.fromStack(buildTestApp().service);
}

function roleOf(template: Template, functionLogicalId: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const fn = functions[functionLogicalId];
  if (!fn) throw new Error(`no function ${functionLogicalId}`);
  return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** The statements of the inline policies on one role. */
function statementsOf(template: Template, role: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
    )
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

const WRITES =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete))$/;

describe('the cursor signing key', () => {
  it('costs nothing: no Secrets Manager secret, and no function is told of one', () => {
    const template = service();
    expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    for (const [id, fn] of Object.entries(functions)) {
      const variables =
        (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables ?? {};
      expect(
        Object.keys(variables).filter((name) => /SECRET/i.test(name)),
        id,
      ).toEqual([]);
    }
    const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
    expect(JSON.stringify(policies)).not.toContain('secretsmanager:');
  });

  it("lets the read-only api function put only in the key's own partition, feedback's and the profile's", () => {
    const template = service();
    const writes = statementsOf(template, roleOf(template, functionId(template, 'Serves matches')))
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => [statement.Action].flat().some((action) => WRITES.test(action)));
    // The feed list's edits are the other write statement (service-stack.test.ts).
    expect(writes).toHaveLength(2);
    expect(writes[0]?.Action).toBe('dynamodb:PutItem');
    expect(writes[0]?.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'dynamodb:LeadingKeys': [CURSOR_KEY_PK, FEEDBACK_PK, PROFILE_PK],
      },
    });
    // The table itself, not its indexes: a put on the table is all the key needs.
    expect(writes[0]?.Resource).toMatchObject({ 'Fn::ImportValue': expect.any(String) });
  });
});
