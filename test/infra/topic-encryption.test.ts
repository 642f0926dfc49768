import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.ts';
import { allowedActions, functionId } from './template-helpers.ts';

function alertFunctionActions(context: Record<string, unknown> = {}): string[] {
  const template = Template.fromStack(buildTestApp(context).service);
  return allowedActions(template, functionId(template, 'Alerts new matches'));
}

describe('alert topic encryption seen from the publisher', () => {
  it('grants the alert function sns:Publish and no KMS action under the AWS managed key', () => {
    const actions = alertFunctionActions();
    expect(actions).toContain('sns:Publish');
    expect(actions.filter((action) => action.startsWith('kms:'))).toEqual([]);
  });

  it("grants the alert function the customer-managed key's data-key actions with kms", () => {
    expect(alertFunctionActions({ opsTopicEncryption: 'kms' })).toEqual(
      expect.arrayContaining(['sns:Publish', 'kms:GenerateDataKey*']),
    );
  });
});
