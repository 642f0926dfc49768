import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.ts';

function unacknowledgedFindings(context: Record<string, unknown> = {}) {
  const { app } = buildTestApp(context);
  app.synth();
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.map((violation) => ({
    rule: violation.ruleName,
    resources: violation.violatingResources.map((resource) => resource.constructPath),
  }));
}

describe('cdk-nag AwsSolutions checks', () => {
  it('reports no unacknowledged finding for the default app', () => {
    expect(unacknowledgedFindings()).toEqual([]);
  });

  it('reports no unacknowledged finding when the operator opens the API with authMode none', () => {
    expect(unacknowledgedFindings({ newswatch: { api: { authMode: 'none' } } })).toEqual([]);
  });

  it('reports no unacknowledged finding with alert e-mails and CORS origins', () => {
    expect(
      unacknowledgedFindings({
        alertEmail: 'me@example.com',
        newswatch: { api: { corsOrigins: ['https://news.example.com'] } },
      }),
    ).toEqual([]);
  });

  it('reports no unacknowledged finding at the full monitoring level', () => {
    expect(unacknowledgedFindings({ monitoring: 'full', alertEmail: 'me@example.com' })).toEqual(
      [],
    );
  });

  it('reports no unacknowledged finding with the customer-managed topic key', () => {
    expect(
      unacknowledgedFindings({ opsTopicEncryption: 'kms', alertEmail: 'me@example.com' }),
    ).toEqual([]);
  });
});
