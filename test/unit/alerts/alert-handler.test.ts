import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertHandler } from '#functions/alert/alert-handler.ts';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { decodeMatchImage } from '#shared/store/dynamodb-match-codec.ts';
import type { Match } from '#shared/store/match-schema.ts';
import {
  aMatch,
  RecordingPublisher,
  startTestStore,
  type TestStore,
} from '../../fixtures/alerts/alert-fixtures.ts';

function record(sequence: string, image: Record<string, unknown>, eventName = 'INSERT') {
  return {
    eventName,
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: marshall(image, { removeUndefinedValues: true }),
    },
  };
}

function matchImage(match: Match): Record<string, unknown> {
  return { pk: `MATCH#${match.id}`, sk: 'MATCH', entity: 'match', ...match };
}

describe('createAlertHandler', () => {
  let db: TestStore;
  let publisher: RecordingPublisher;

  beforeEach(async () => {
    db = await startTestStore();
    publisher = new RecordingPublisher();
  });
  afterEach(async () => {
    await db.close();
  });

  function handler() {
    const service = createAlertService({
      store: db.store,
      publisher,
      settings: { maxPerSweep: 10, maxPerHour: 100, mode: 'instant' },
      now: db.clock.now,
    });
    return createAlertHandler({ service, decodeMatchImage });
  }

  it('alerts the match in an INSERT record and reports no failures', async () => {
    const match = aMatch({ id: 'h1' });
    await db.store.storeMatches([match], [], []);
    const response = await handler()({ Records: [record('100', matchImage(match))] });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.alerts.map((alert) => alert.payload.matchId)).toEqual(['h1']);
  });

  it('names every record of a failed match by its sequence number', async () => {
    const match = aMatch({ id: 'h2' });
    await db.store.storeMatches([match], [], []);
    publisher.failuresLeft = 1;
    const response = await handler()({
      Records: [record('200', matchImage(match)), record('201', matchImage(match))],
    });
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '201' }],
    });
  });

  it('fails a match record it cannot read, so it reaches the failure queue', async () => {
    const response = await handler()({
      Records: [record('300', { pk: 'MATCH#bad', entity: 'match', id: 'bad' })],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '300' }] });
  });

  it('ignores records of other items and other event kinds', async () => {
    const match = aMatch({ id: 'h4' });
    const response = await handler()({
      Records: [
        record('400', { pk: 'STORY#x', entity: 'story-member', storyId: 'x' }),
        record('401', matchImage(match), 'MODIFY'),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.alerts).toHaveLength(0);
  });

  it('flushes the digest when asked to by a scheduled event', async () => {
    expect(await handler()({ action: 'flush-digest' })).toEqual({ digestStories: 0 });
  });

  it('rejects an event of an unknown shape', async () => {
    await expect(handler()({ Records: [{ nope: true }] })).rejects.toThrow(
      'not a stream batch or digest request',
    );
  });
});
