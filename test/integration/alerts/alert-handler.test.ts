import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertHandler, type StreamBatchResponse } from '#functions/alert/alert-handler.ts';
import { type AlertSettings, createAlertService } from '#shared/alerts/alert-service.ts';
import { createSnsAlertPublisher } from '#shared/alerts/sns-alert-publisher.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { decodeMatchImage } from '#shared/store/dynamodb-match-codec.ts';
import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { aMatch, tickingClock } from '../../fixtures/alerts/alert-fixtures.ts';
import { createTestTable, dynamoLocalEndpoint, type TestTable } from '../support/dynamo-table.ts';
import { passesAlertFilter, StreamReader, streamEvent } from './stream-records.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const sns = mockClient(SNSClient);
const LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 60_000 };
/** Less remaining time than the handler's safety margin: it must not wait on any lease. */
const NO_TIME_TO_WAIT = { getRemainingTimeInMillis: () => 5_000 };

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
}

// Stream records come from DynamoDB Local only; dynalite has no streams.
describe.skipIf(!dynamoLocalEndpoint())(
  'the alert function on real DynamoDB stream records',
  () => {
    let table: TestTable;
    let store: DynamoDbStore;
    let reader: StreamReader;
    // The fixtures' storedAt and the story window are read against this clock, never the real
    // date; it still moves, because a lease must run out while the service waits on it.
    const now = tickingClock();

    beforeAll(async () => {
      table = await createTestTable(dynamoLocalEndpoint() ?? '', 'alerts');
      store = table.store({ now });
      reader = new StreamReader(table.client, table.tableName, table.endpoint);
    });
    afterAll(async () => {
      reader.close();
      await table.drop();
    });
    beforeEach(async () => {
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: 'sns-ok' });
      await reader.next(); // start each test after the records earlier tests wrote
    });
    afterEach(() => {
      sns.reset();
    });

    function handler(settings: Partial<AlertSettings> = {}) {
      const service = createAlertService({
        store,
        now,
        publisher: createSnsAlertPublisher({
          client: new SNSClient({ region: 'eu-west-1' }),
          topicArn: TOPIC,
          maxAttempts: 2,
          sleep: async () => {},
        }),
        settings: {
          maxPerSweep: 10,
          maxPerHour: 1000,
          mode: 'instant',
          leaseSeconds: 2,
          ...settings,
        },
      });
      return createAlertHandler({ service, decodeMatchImage });
    }

    /** An alert-worthy match whose summary is its own (copies of one story share no boilerplate). */
    function news(id: string, title: string, overrides: Partial<Match> = {}): Match {
      return aMatch({ id, title, summary: `${title}.`, ...overrides });
    }

    /** Stores matches as the ingest does: story assignment first, then the match with its member. */
    async function ingest(...matches: Match[]): Promise<Match[]> {
      const stories = createStoryAssigner(store, { now });
      const stored: Match[] = [];
      for (const match of matches) {
        const { storyId, member } = await stories.assign({
          matchId: match.id,
          feed: match.feed,
          title: match.title,
          summary: match.summary,
          link: match.link,
          published: match.published,
          storedAt: match.storedAt,
        });
        const withStory = { ...match, storyId };
        await store.storeMatches([withStory], [], [], [member]);
        stored.push(withStory);
      }
      return stored;
    }

    async function deliveredRecords() {
      return (await reader.next()).filter(passesAlertFilter);
    }

    async function sentPublishes(): Promise<string[]> {
      const ids: string[] = [];
      for (const call of sns.commandCalls(PublishCommand)) {
        const outcome = await Promise.resolve(call.returnValue).then(
          () => true,
          () => false,
        );
        if (outcome)
          ids.push(JSON.parse(JSON.parse(call.args[0].input.Message ?? '{}').default).matchId);
      }
      return ids;
    }

    it('lets only new alert-worthy matches through the stream filter', async () => {
      const [worthy] = await ingest(
        news('flt-1', 'Harbour strike halts container traffic'),
        news('flt-2', 'Museum reopens after renovation', { alert: false }),
      );
      const records = await deliveredRecords();
      expect(records.map((record) => record.dynamodb?.NewImage?.id?.S)).toEqual([worthy?.id]);
    });

    it('publishes one alert per new match record and marks the match alerted', async () => {
      await ingest(news('one-1', 'Bridge collapse closes river crossing'));
      const response = (await handler()(
        streamEvent(await deliveredRecords()),
        LAMBDA_CONTEXT,
      )) as StreamBatchResponse;
      expect(response).toEqual({ batchItemFailures: [] });
      expect(await sentPublishes()).toEqual(['one-1']);
      const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
      expect(input?.MessageAttributes?.scoreBand).toEqual({
        DataType: 'String',
        StringValue: 'high',
      });
      expect((await store.getMatch('one-1'))?.alerted).toBe(true);
    });

    it('sends one alert for two copies of one story in one batch', async () => {
      await ingest(
        news('dup-1', 'Wildfire forces evacuation of hill towns', { feed: 'Wire One' }),
        news('dup-2', 'Hill towns evacuated as wildfire spreads', { feed: 'Daily Two' }),
      );
      const records = await deliveredRecords();
      expect(records).toHaveLength(2);
      const response = await handler()(streamEvent(records), LAMBDA_CONTEXT);
      expect(response).toEqual({ batchItemFailures: [] });
      expect(await sentPublishes()).toEqual(['dup-1']);
      const body = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}');
      expect(body.email).toContain('Daily Two');
    });

    it('sends one alert when two invocations race on copies of one story', async () => {
      await ingest(
        news('race-1', 'Cargo plane makes emergency landing on motorway', { feed: 'Wire One' }),
        news('race-2', 'Emergency landing on motorway for cargo plane', { feed: 'Daily Two' }),
      );
      const records = await deliveredRecords();
      expect(records).toHaveLength(2);
      const responses = await Promise.all(
        records.map((record) => handler()(streamEvent([record]), LAMBDA_CONTEXT)),
      );
      expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
      expect(await sentPublishes()).toHaveLength(1);
    });

    it('does nothing the second time the same record is delivered', async () => {
      await ingest(news('twice-1', 'Power cut leaves city without trains'));
      const event = streamEvent(await deliveredRecords());
      await handler()(event, LAMBDA_CONTEXT);
      const again = await handler()(event, LAMBDA_CONTEXT);
      expect(again).toEqual({ batchItemFailures: [] });
      expect(await sentPublishes()).toEqual(['twice-1']);
    });

    it('reports the record failed while SNS throttles, then sends it exactly once on retry', async () => {
      await ingest(news('thr-1', 'Flooded mine traps workers underground'));
      const records = await deliveredRecords();
      const event = streamEvent(records);
      sns.on(PublishCommand).rejects(throttled());

      const failed = await handler()(event, LAMBDA_CONTEXT);
      expect(failed).toEqual({
        batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }],
      });
      expect((await store.getMatch('thr-1'))?.alerted).toBe(false);

      sns.on(PublishCommand).resolves({ MessageId: 'sns-ok' });
      // No time left to wait on a lease: the retry succeeds only because the claim was released.
      expect(await handler()(event, NO_TIME_TO_WAIT)).toEqual({ batchItemFailures: [] });
      expect(await handler()(event, LAMBDA_CONTEXT)).toEqual({ batchItemFailures: [] });
      expect(await sentPublishes()).toEqual(['thr-1']);
    });

    it('fails only the story SNS refused in a mixed batch, and the retry loses none', async () => {
      await ingest(
        news('mix-1', 'Tanker runs aground near busy strait'),
        news('mix-2', 'Heatwave breaks national temperature record'),
        news('mix-3', 'Chess prodigy wins world title in tiebreak'),
      );
      const records = await deliveredRecords();
      sns
        .on(PublishCommand)
        .resolvesOnce({ MessageId: 'a' })
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .resolves({ MessageId: 'c' });
      const first = (await handler()(streamEvent(records), LAMBDA_CONTEXT)) as StreamBatchResponse;
      expect(first.batchItemFailures).toEqual([
        { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
      ]);
      // The mapping redelivers from the failed record on.
      await handler()(streamEvent(records.slice(1)), LAMBDA_CONTEXT);
      expect((await sentPublishes()).sort()).toEqual(['mix-1', 'mix-2', 'mix-3']);
    });

    it('after a timeout mid-publish, the retry waits out the lease and sends once', async () => {
      await ingest(news('tmo-1', 'Avalanche blocks mountain pass road'));
      const event = streamEvent(await deliveredRecords());
      sns.on(PublishCommand).callsFake(() => new Promise(() => {}));

      // The first invocation hangs in publish until Lambda kills it; its lease (2 s) stays behind.
      const killed = handler()(event, LAMBDA_CONTEXT);
      await Promise.race([killed, new Promise((done) => setTimeout(done, 500))]);

      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: 'sns-ok' });
      const retry = await handler()(event, LAMBDA_CONTEXT);
      expect(retry).toEqual({ batchItemFailures: [] });
      expect(await sentPublishes()).toEqual(['tmo-1']);
      expect((await store.getMatch('tmo-1'))?.alerted).toBe(true);
    });

    it('queues matches past the per-batch cap and sends them in one digest on request', async () => {
      await ingest(
        news('cap-1', 'Rail workers announce national strike'),
        news('cap-2', 'Satellite launch fails after engine fault'),
      );
      const alert = handler({ maxPerSweep: 1 });
      await alert(streamEvent(await deliveredRecords()), LAMBDA_CONTEXT);
      expect(await sentPublishes()).toEqual(['cap-1']);

      expect(await alert({ action: 'flush-digest' }, LAMBDA_CONTEXT)).toEqual({ digestStories: 1 });
      const digest = JSON.parse(sns.commandCalls(PublishCommand)[1]?.args[0].input.Message ?? '{}');
      expect(
        JSON.parse(digest.default).stories.map((story: { matchId: string }) => story.matchId),
      ).toEqual(['cap-2']);
    });

    it('rejects an event that is neither a stream batch nor a digest request', async () => {
      await expect(handler()({ hello: 'world' }, LAMBDA_CONTEXT)).rejects.toThrow(
        'not a stream batch or digest request',
      );
    });
  },
);
