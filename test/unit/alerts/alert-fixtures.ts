import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertMessage, DigestMessage } from '#shared/alerts/alert-message.ts';
import type { AlertPublisher } from '#shared/alerts/alert-publisher.ts';
import { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable } from '#shared/store/ensure-table.ts';
import type { Match } from '#shared/store/match-schema.ts';

/** An alert-worthy match with plausible defaults; tests override what they are about. */
export function aMatch(overrides: Partial<Match> = {}): Match {
  const id = overrides.id ?? `m-${randomUUID().slice(0, 8)}`;
  return {
    id,
    title: 'Ministers meet in the capital to sign a trade pact',
    link: `https://news.example/${id}`,
    summary: 'The two governments signed an energy and trade agreement on Tuesday.',
    feed: 'Example News',
    feedUrl: 'https://news.example/rss',
    published: '2026-11-29T05:00:00.000Z',
    storedAt: '2026-11-29T05:01:00.000Z',
    score: 0.82,
    alert: true,
    facets: ['trade-ties'],
    terms: ['trade pact', 'energy'],
    explanation: {
      facets: [{ name: 'trade-ties', score: 0.61, matched: ['trade pact', 'energy'] }],
      terms: [{ term: 'trade pact', contribution: 0.4, field: 'title' }],
      notes: [],
    },
    profileVersion: 'p1',
    storyId: overrides.storyId ?? id,
    alsoReportedBy: [],
    alerted: false,
    ...overrides,
  };
}

/** A clock the test moves by hand; the store and the service read the same one. */
export class TestClock {
  constructor(private current = new Date('2026-11-29T05:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The real store adapter on an in-memory dynalite (the embedded local store). */
export interface TestStore {
  store: DynamoDbStore;
  clock: TestClock;
  close(): Promise<void>;
}

export async function startTestStore(): Promise<TestStore> {
  const db: EmbeddedDynamoDb = await startEmbeddedDynamoDb({});
  const client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'local',
    credentials: db.credentials,
  });
  const tableName = `alerts-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  const clock = new TestClock();
  const store = new DynamoDbStore({
    client: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName,
    now: clock.now,
  });
  return {
    store,
    clock,
    close: async () => {
      client.destroy();
      await db.close();
    },
  };
}

/** A publisher that records what it was given and can be told to fail. */
export class RecordingPublisher implements AlertPublisher {
  alerts: AlertMessage[] = [];
  digests: DigestMessage[] = [];
  failuresLeft = 0;

  async publish(alert: AlertMessage): Promise<{ messageId?: string }> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('topic unavailable');
    }
    this.alerts.push(alert);
    return { messageId: `msg-${this.alerts.length}` };
  }

  async publishDigest(digest: DigestMessage): Promise<{ messageId?: string }> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('topic unavailable');
    }
    this.digests.push(digest);
    return { messageId: `digest-${this.digests.length}` };
  }
}
