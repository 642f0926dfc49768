import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledgeGrantWildcards, type GrantWildcard } from '#infra/grant-findings.ts';

function iam5Findings(wildcards: GrantWildcard[]): string[] {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  table.addGlobalSecondaryIndex({
    indexName: 'gsi1',
    partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
  });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  table.grantReadData(role);
  acknowledgeGrantWildcards(role, wildcards);
  app.synth();
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.map((violation) => violation.ruleName)
    .filter((rule) => rule.startsWith('AwsSolutions-IAM5'));
}

describe('acknowledgeGrantWildcards', () => {
  it("acknowledges the table grant's index wildcard when a rule matches it", () => {
    expect(
      iam5Findings([
        { matches: (finding) => finding.endsWith('/index/*'), reason: 'the table indexes' },
      ]),
    ).toEqual([]);
  });

  it('leaves a wildcard that no rule matches unacknowledged', () => {
    expect(
      iam5Findings([{ matches: (finding) => finding === 'Action::s3:*', reason: 'unrelated' }]),
    ).toEqual(['AwsSolutions-IAM5[Resource::<TableCD117FA1.Arn>/index/*]']);
  });
});
