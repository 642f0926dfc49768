import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { aMatch } from '../../fixtures/alerts/alert-fixtures.ts';
import { createTestTable, dynamoLocalEndpoint, type TestTable } from '../support/dynamo-table.ts';
import { passesAlertFilter, StreamReader, streamEvent } from './stream-records.ts';

const sns = mockClient(SNSClient);

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'newswatch-alert',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:newswatch-alert',
    memoryLimitInMB: '512',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/newswatch-alert',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

describe.skipIf(!dynamoLocalEndpoint())(
  'the deployed alert handler module, configured from its environment',
  () => {
    let table: TestTable;
    const saved = { ...process.env };

    beforeAll(async () => {
      table = await createTestTable(dynamoLocalEndpoint() ?? '', 'alert-entry');
    });
    afterAll(async () => {
      process.env = saved;
      await table.drop();
    });

    it('fails its cold start naming the variable that is missing', async () => {
      vi.resetModules();
      process.env = { ...saved, TABLE_NAME: table.tableName };
      delete process.env.ALERT_TOPIC_ARN;
      await expect(import('#functions/alert/handler.ts')).rejects.toThrow('ALERT_TOPIC_ARN');
    });

    it('alerts a stream batch end to end and reports no failures', async () => {
      vi.resetModules();
      process.env = {
        ...saved,
        TABLE_NAME: table.tableName,
        ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
        ALERT_MAX_PER_SWEEP: '5',
        ALERT_MAX_PER_HOUR: '50',
        ALERT_MODE: 'instant',
        // DynamoDB Local keeps one namespace per access key and region: match the test table's.
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
        POWERTOOLS_LOG_LEVEL: 'WARN',
      };
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

      const store = table.store();
      // The deployed module reads the real clock, so this match is stored now: a fixed date
      // would one day fall outside the story window and the retention the module applies.
      const storedAt = new Date().toISOString();
      const match = aMatch({
        id: 'entry-1',
        title: 'Ferry capsizes in storm off the coast',
        published: storedAt,
        storedAt,
      });
      const { storyId, member } = await createStoryAssigner(store).assign({
        matchId: match.id,
        feed: match.feed,
        title: match.title,
        summary: match.summary,
        storedAt: match.storedAt,
      });
      await store.storeMatches([{ ...match, storyId }], [], [], [member]);
      const reader = new StreamReader(table.client, table.tableName, table.endpoint);
      const records = (await reader.next()).filter(passesAlertFilter);
      reader.close();

      const { handler } = await import('#functions/alert/handler.ts');
      const response = await handler(streamEvent(records), lambdaContext());
      expect(response).toEqual({ batchItemFailures: [] });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
      expect((await store.getMatch('entry-1'))?.alerted).toBe(true);
    });
  },
);
