import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestPayloadSchema, SNS_PUBLISH_MAX_BYTES } from '#shared/alerts/alert-message.ts';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import { createSnsAlertPublisher } from '#shared/alerts/sns-alert-publisher.ts';
import type { Match } from '#shared/store/match-schema.ts';
import { aMatch, startTestStore, type TestStore } from '../../fixtures/alerts/alert-fixtures.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const LEASE_SECONDS = 60;
const sns = mockClient(SNSClient);

/** The bytes SNS counts for one publish: message, subject, and each attribute's name, type, value. */
function publishBytes(input: PublishCommandInput): number {
  let bytes = Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? '');
  for (const [name, value] of Object.entries(input.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/** The stories each publish SNS accepted carried, read back from the JSON payload. */
async function deliveredStories(): Promise<string[][]> {
  const delivered: string[][] = [];
  for (const call of sns.commandCalls(PublishCommand)) {
    const accepted = await Promise.resolve(call.returnValue).then(
      () => true,
      () => false,
    );
    if (!accepted) continue;
    const body = JSON.parse(call.args[0].input.Message ?? '{}') as { default: string };
    const payload = DigestPayloadSchema.parse(JSON.parse(body.default));
    delivered.push(payload.stories.map((story) => story.storyId));
  }
  return delivered;
}

function timedOut(): Error {
  // What the SDK's node handler throws at its requestTimeout: no HTTP answer came back.
  return Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}

function refused(): Error {
  return Object.assign(new Error('not authorized to publish'), {
    name: 'AuthorizationErrorException',
    $metadata: { httpStatusCode: 403 },
  });
}

describe('flushDigest against the embedded store, SNS mocked', () => {
  let db: TestStore;

  beforeEach(async () => {
    db = await startTestStore();
  });
  afterEach(async () => {
    sns.reset();
    await db.close();
  });

  function service(digestStoriesPerMessage?: number) {
    return createAlertService({
      store: db.store,
      publisher: createSnsAlertPublisher({
        client: new SNSClient({ region: 'eu-west-1' }),
        topicArn: TOPIC,
        sleep: async () => {},
      }),
      settings: {
        maxPerSweep: 10,
        maxPerHour: 30,
        mode: 'daily',
        leaseSeconds: LEASE_SECONDS,
        digestStoriesPerMessage,
      },
      now: db.clock.now,
    });
  }

  /**
   * Stories as big as the field limits allow: 500-character Cyrillic headlines (two bytes a
   * character) and `outlets` other outlets each, all queued for the digest.
   */
  async function queueStories(count: number, outlets: number): Promise<Match[]> {
    const headline = (index: number) =>
      `${index} ${'Переговоры в Пекине '.repeat(25)}`.slice(0, 500);
    const leaders: Match[] = [];
    for (let index = 0; index < count; index++) {
      const storyId = `story-${String(index).padStart(2, '0')}`;
      const leader = aMatch({ id: `${storyId}-lead`, storyId, title: headline(index) });
      const copies = Array.from({ length: outlets }, (_, copy) =>
        aMatch({
          id: `${storyId}-copy-${copy}`,
          storyId,
          feed: `Outlet ${copy} ${'Новости '.repeat(8)}`,
          title: headline(index + copy),
          link: `https://outlet-${copy}.example/${'world/'.repeat(40)}${storyId}`,
        }),
      );
      // Only the leader is read back as a match; the copies matter as the story's members.
      await db.store.storeMatches([leader], [], []);
      for (const match of [leader, ...copies]) {
        await db.store.addStoryMember({
          storyId,
          matchId: match.id,
          feed: match.feed,
          title: match.title,
          link: match.link,
          signature: '',
          storedAt: match.storedAt,
        });
      }
      leaders.push(leader);
    }
    await service().handleNewMatches(leaders);
    return leaders;
  }

  it('splits a 50-story digest with other outlets into messages SNS takes, each story once', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns' });
    const leaders = await queueStories(50, 3);

    expect(await service().flushDigest()).toBe(50);

    const inputs = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) expect(publishBytes(input)).toBeLessThan(SNS_PUBLISH_MAX_BYTES);
    const delivered = (await deliveredStories()).flat();
    expect(delivered.sort()).toEqual(leaders.map((match) => match.storyId).sort());
    expect(await db.store.readDigest(100)).toEqual([]);
  }, 60_000);

  it('leaves the unsent stories queued when a publish fails mid-digest, and sends them once later', async () => {
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'first' }).rejects(refused());
    const leaders = await queueStories(20, 0);
    const alerts = service(5);

    await expect(alerts.flushDigest()).rejects.toThrow('AuthorizationErrorException');

    const [sentFirst = []] = await deliveredStories();
    expect(sentFirst).toHaveLength(5);
    const queued = (await db.store.readDigest(100)).map((entry) => entry.storyId);
    expect(queued.sort()).toEqual(
      leaders.map((match) => match.storyId).filter((storyId) => !sentFirst.includes(storyId)),
    );

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'later' });
    expect(await alerts.flushDigest()).toBe(15);
    expect((await deliveredStories()).flat().sort()).toEqual(queued);
    expect(await db.store.readDigest(100)).toEqual([]);
  });

  it('keeps the lease of a digest whose publish timed out, and sends it again only after the lease', async () => {
    sns.on(PublishCommand).rejectsOnce(timedOut()).resolves({ MessageId: 'after-lease' });
    const [leader] = await queueStories(1, 0);
    const alerts = service();

    await expect(alerts.flushDigest()).rejects.toThrow('got no answer');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await db.store.readDigest(100)).toHaveLength(1);
    expect(await alerts.flushDigest()).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);

    db.clock.advance((LEASE_SECONDS + 1) * 1000);
    expect(await alerts.flushDigest()).toBe(1);
    expect((await deliveredStories()).flat()).toEqual([leader?.storyId]);
    expect(await db.store.readDigest(100)).toEqual([]);
  });

  it('keeps the lease of an instant alert whose publish timed out', async () => {
    sns.on(PublishCommand).rejectsOnce(timedOut()).resolves({ MessageId: 'after-lease' });
    const match = aMatch({ id: 'instant-1' });
    await db.store.storeMatches([match], [], []);
    const alerts = createAlertService({
      store: db.store,
      publisher: createSnsAlertPublisher({
        client: new SNSClient({ region: 'eu-west-1' }),
        topicArn: TOPIC,
        sleep: async () => {},
      }),
      settings: { maxPerSweep: 10, maxPerHour: 30, mode: 'instant', leaseSeconds: LEASE_SECONDS },
      now: db.clock.now,
      sleep: async () => {},
    });

    const first = await alerts.handleNewMatches([match], { deadline: Date.now() });
    const retry = await alerts.handleNewMatches([match], { deadline: Date.now() });

    expect(first.failedMatchIds).toEqual(['instant-1']);
    expect(retry.results[0]?.error).toContain('another attempt is still alerting');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    db.clock.advance((LEASE_SECONDS + 1) * 1000);
    expect((await alerts.handleNewMatches([match])).sent).toBe(1);
  });

  it('starts nothing at or after its deadline and leaves every story queued and free', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns' });
    await queueStories(3, 0);

    expect(await service().flushDigest({ deadline: db.clock.now().getTime() })).toBe(0);

    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(await db.store.readDigest(100)).toHaveLength(3);
    expect(await service().flushDigest()).toBe(3);
  });

  it('stops between messages when the deadline passes, the rest queued for the next flush', async () => {
    const leaders = await queueStories(20, 0);
    const deadline = db.clock.now().getTime() + 1000;
    sns.on(PublishCommand).callsFake(() => {
      db.clock.advance(2000);
      return { MessageId: 'slow' };
    });

    const carried = await service(5).flushDigest({ deadline });

    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(carried).toBe(5);
    expect(await db.store.readDigest(100)).toHaveLength(leaders.length - carried);
    expect(await service().flushDigest()).toBe(leaders.length - carried);
    const delivered = (await deliveredStories()).flat();
    expect(new Set(delivered).size).toBe(leaders.length);
    expect(delivered).toHaveLength(leaders.length);
  });
});
