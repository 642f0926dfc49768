import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.ts';
import { allowedActions } from './template-helpers.ts';

function service(): Template {
  return Template.fromStack(buildTestApp().service);
}

describe('X-Ray tracing, so one sweep can be followed from schedule to alert', () => {
  it('traces every function actively, each allowed to send its segments', () => {
    const template = service();
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(4);
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(allowedActions(template, id), id).toEqual(
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      );
    }
  });

  it('traces the API stage, so a request runs from the gateway into the api function', () => {
    service().hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
    });
  });
});
