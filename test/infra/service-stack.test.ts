import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALERT_STREAM_FILTER } from '#shared/store/table-design.ts';
import { buildTestApp } from './build-test-app.ts';
import {
  allowedActions,
  allowedStatements,
  functionId,
  unconditionalActions,
  writablePartitions,
} from './template-helpers.ts';

function service(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(buildTestApp(context).service);
}

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

describe('ServiceStack: functions', () => {
  it('runs every function on the latest Node runtime, arm64, with source maps', () => {
    const template = service();
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }),
      },
    });
  });

  it('gives every function its own log group with a retention', () => {
    const template = service();
    template.resourceCountIs('AWS::Logs::LogGroup', 5);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('attaches no managed policy to any function role', () => {
    const roles = service().findResources('AWS::IAM::Role', {
      Properties: { ManagedPolicyArns: Match.anyValue() },
    });
    // The one exception is API Gateway's account-level logging role (docs/deploy.md).
    const trusted = Object.values(roles).map(
      (role) => role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service,
    );
    expect(trusted).toEqual(['apigateway.amazonaws.com']);
  });
});

describe('ServiceStack: sweep', () => {
  it('schedules the schedule function at the configured interval with EventBridge Scheduler', () => {
    const template = service({ newswatch: { intervalMinutes: 30 } });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId(template, 'Plans a sweep'), 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  it('gives the schedule function the ingest function name, the chunk sizes, the bundled feed list, read access and the feed list to seed', () => {
    const template = service();
    const id = functionId(template, 'Plans a sweep');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Plans a sweep'),
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: Match.anyValue(),
          INGEST_FUNCTION_NAME: { Ref: functionId(template, 'Ingests a chunk of feeds') },
          FEEDS_FILE: '/var/task/feeds/feeds.json',
          INTERVAL_MINUTES: '15',
          INGEST_BATCH_SIZE: '10',
          MAX_CONCURRENT_INGESTS: '10',
          SWEEP_QUEUE_URL: Match.absent(),
        }),
      },
    });
    const actions = allowedActions(template, id);
    expect(actions).toContain('dynamodb:Scan');
    expect(unconditionalActions(template, id).filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(writablePartitions(template, id)).toEqual(['FEED-LIST']);
    expect(actions.filter((action) => action.startsWith('sqs:'))).toEqual([]);
  });

  it('lets the schedule function invoke the ingest function and no other', () => {
    const template = service();
    const ingest = functionId(template, 'Ingests a chunk of feeds');
    const role = (
      template.findResources('AWS::Lambda::Function')[functionId(template, 'Plans a sweep')] as {
        Properties: { Role: { 'Fn::GetAtt': [string, string] } };
      }
    ).Properties.Role['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: [
              { 'Fn::GetAtt': [ingest, 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ingest, 'Arn'] }, ':*']] },
            ],
          },
        ]),
      },
    });
  });

  it('hands chunks to ingest by asynchronous invocation: no feed queue and no event source mapping', () => {
    const template = service();
    const ingest = functionId(template, 'Ingests a chunk of feeds');
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as {
      Properties: { FunctionName: unknown };
    }[];
    expect(
      mappings.filter((mapping) =>
        JSON.stringify(mapping.Properties.FunctionName).includes(ingest),
      ),
    ).toEqual([]);
    // The only queues left are dead-letter queues, none fed by a redrive policy.
    expect(
      Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
        id.includes('FeedQueue'),
      ),
    ).toEqual([]);
    expect(
      template.findResources('AWS::SQS::Queue', {
        Properties: { RedrivePolicy: Match.anyValue() },
      }),
    ).toEqual({});
  });

  it('retries a failed ingest event twice and then records it in the feed dead-letter queue', () => {
    const template = service();
    const [dlq] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      id.includes('FeedDeadLetters'),
    );
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(template, 'Ingests a chunk of feeds') },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
    });
    const actions = allowedActions(template, functionId(template, 'Ingests a chunk of feeds'));
    expect(actions).toContain('sqs:SendMessage');
  });

  it('drops an ingest event older than two sweeps, within the 60 s to 6 h Lambda allows', () => {
    const ages = [15, 240, 1].map((intervalMinutes) => {
      const template = service({ newswatch: { intervalMinutes } });
      const [config] = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as {
        Properties: { MaximumEventAgeInSeconds: number };
      }[];
      return config?.Properties.MaximumEventAgeInSeconds;
    });
    expect(ages).toEqual([30 * 60, 6 * 3600, 120]);
  });

  it('encrypts every queue with SQS-managed keys and refuses it without TLS', () => {
    const template = service();
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    for (const queue of queues) {
      const tls = policies.some(
        (policy) =>
          JSON.stringify(policy).includes(queue) &&
          JSON.stringify(policy).includes('"aws:SecureTransport":"false"'),
      );
      expect(tls, queue).toBe(true);
    }
  });

  it('grants the ingest function read-write access to the table and bundles the seeds', () => {
    const template = service();
    const id = functionId(template, 'Ingests a chunk of feeds');
    expect(allowedActions(template, id)).toEqual(expect.arrayContaining(['dynamodb:PutItem']));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Ingests a chunk of feeds'),
      Environment: {
        Variables: Match.objectLike({ SEEDS_DIR: '/var/task/seeds', FETCH_TIMEOUT_MS: '20000' }),
      },
    });
  });

  it('passes configured thresholds to the ingest function and leaves them unset otherwise', () => {
    const withThresholds = service({ newswatch: { thresholds: { match: 0.3, alert: 0.6 } } });
    withThresholds.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Ingests a chunk of feeds'),
      Environment: {
        Variables: Match.objectLike({ MATCH_THRESHOLD: '0.3', ALERT_THRESHOLD: '0.6' }),
      },
    });
    service().hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Ingests a chunk of feeds'),
      Environment: { Variables: Match.objectLike({ MATCH_THRESHOLD: Match.absent() }) },
    });
  });
});

describe('ServiceStack: alerts', () => {
  it('filters the table stream at the event source with ALERT_STREAM_FILTER', () => {
    const template = service();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(template, 'Alerts new matches') },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(ALERT_STREAM_FILTER) }] },
    });
  });

  it('bisects failing stream batches, retries a bounded number of times and then sends them to a queue', () => {
    const template = service();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(template, 'Alerts new matches') },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('grants the alert function publishing to the alert topic and read-write table access', () => {
    const template = service();
    const actions = allowedActions(template, functionId(template, 'Alerts new matches'));
    expect(actions).toEqual(expect.arrayContaining(['sns:Publish', 'dynamodb:UpdateItem']));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Alerts new matches'),
      Environment: {
        Variables: Match.objectLike({ ALERT_TOPIC_ARN: Match.anyValue(), ALERT_MODE: 'instant' }),
      },
    });
  });

  it('flushes the digest hourly, and daily in daily mode', () => {
    service().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({ Input: JSON.stringify({ action: 'flush-digest' }) }),
    });
    service({ newswatch: { alerts: { mode: 'daily' } } }).hasResourceProperties(
      'AWS::Scheduler::Schedule',
      { ScheduleExpression: 'rate(1 day)' },
    );
  });
});

describe('ServiceStack: API', () => {
  it('requires IAM auth on every API method', () => {
    const methods = service().findResources('AWS::ApiGateway::Method');
    expect(Object.keys(methods).length).toBeGreaterThan(0);
    for (const method of Object.values(methods)) {
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    }
  });

  it('leaves only the CORS preflight open when origins are configured', () => {
    const template = service({
      newswatch: { api: { corsOrigins: ['https://news.example.com'] } },
    });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const open = methods.filter((method) => method.Properties.AuthorizationType === 'NONE');
    // One preflight per resource: the root, {proxy+}, profile, profile/versions, profile/in-use.
    expect(open.map((method) => method.Properties.HttpMethod)).toEqual(
      Array(Object.keys(template.findResources('AWS::ApiGateway::Resource')).length + 1).fill(
        'OPTIONS',
      ),
    );
  });

  it('opens the API without auth only when the config says authMode none', () => {
    const methods = service({ newswatch: { api: { authMode: 'none' } } }).findResources(
      'AWS::ApiGateway::Method',
    );
    for (const method of Object.values(methods)) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
    }
  });

  it('proxies GET on every path, POST below the root, and the profile and feed list edits on their own paths', () => {
    const template = service();
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'feeds' });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{id}' });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((method) => method.Properties.HttpMethod).sort()).toEqual([
      'DELETE',
      'GET',
      'GET',
      'GET',
      'GET',
      'GET',
      'POST',
      'POST',
      'POST',
      'PUT',
    ]);
    for (const method of methods) {
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
    }
    const parts = Object.values(template.findResources('AWS::ApiGateway::Resource')).map(
      (resource) => resource.Properties.PathPart,
    );
    expect(parts.sort()).toEqual(['feeds', 'in-use', 'profile', 'versions', '{id}', '{proxy+}']);
  });

  it('throttles the stage and writes access logs to a log group', () => {
    service().hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
      ]),
    });
  });

  it('attaches a request validator to every method', () => {
    const template = service();
    const validators = Object.keys(
      template.findResources('AWS::ApiGateway::RequestValidator', {
        Properties: { ValidateRequestParameters: true },
      }),
    );
    expect(validators).toHaveLength(1);
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      expect(method.Properties.RequestValidatorId).toEqual({ Ref: validators[0] });
    }
  });

  it('grants the api function reads, puts in the cursor key, feedback and PROFILE partitions, and writes to the feed list and feed states', () => {
    const template = service();
    const id = functionId(template, 'Serves matches');
    const actions = allowedActions(template, id);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(unconditionalActions(template, id).filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    const writes = allowedStatements(template, id).filter((statement) => statement.Condition);
    expect(
      writes.map((statement) => [
        statement.Action,
        (statement.Condition as Record<string, Record<string, unknown>>)[
          'ForAllValues:StringEquals'
        ]?.['dynamodb:LeadingKeys'],
      ]),
    ).toEqual([
      ['dynamodb:PutItem', ['CURSOR-KEY', 'FEEDBACK', 'PROFILE']],
      [
        ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        ['FEED-LIST', 'FEEDS'],
      ],
    ]);
    expect(actions.filter((action) => !/^(dynamodb|logs|xray):/.test(action))).toEqual([]);
  });

  it('offers callers a managed policy allowing GET on this API only', () => {
    service().hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          }),
        ],
      },
    });
  });

  it('offers a separate managed policy for the profile changes alone', () => {
    const template = service();
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter(
      (policy) => policy.Properties.Description?.includes('change the newswatch profile'),
    );
    expect(policies).toHaveLength(1);
    const resources = JSON.stringify(policies[0]?.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toContain('/v1/POST/profile/versions');
    expect(resources).toContain('/v1/PUT/profile/in-use');
  });

  it('offers feed editors a managed policy allowing POST /feeds and DELETE /feeds/{id} alone', () => {
    const policies = Object.values(
      service().findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Description: Match.stringLikeRegexp('add and remove feeds') },
      }),
    );
    expect(policies).toHaveLength(1);
    const [statement] = policies[0]?.Properties.PolicyDocument.Statement ?? [];
    expect(statement.Action).toBe('execute-api:Invoke');
    const resources = JSON.stringify(statement.Resource);
    expect(resources).toContain('/v1/POST/feeds"');
    expect(resources).toContain('/v1/DELETE/feeds/*"');
    expect(resources).not.toContain('GET');
  });

  it('outputs the API URL, the alert topic ARN and what a caller needs to be granted', () => {
    const outputs = service().findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'AlertTopicArn',
        'ApiReaderPolicyArn',
        'ApiFeedbackPolicyArn',
        'ApiProfileEditorPolicyArn',
        'ApiFeedEditorPolicyArn',
        'ApiInvokePermission',
      ]),
    );
  });
});
