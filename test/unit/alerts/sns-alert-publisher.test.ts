import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAlertMessage, buildDigestMessage } from '#shared/alerts/alert-message.ts';
import { AlertPublishError } from '#shared/alerts/alert-publisher.ts';
import {
  createAlertSnsClient,
  createSnsAlertPublisher,
  isTransient,
} from '#shared/alerts/sns-alert-publisher.ts';
import { aMatch } from '../../fixtures/alerts/alert-fixtures.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const sns = mockClient(SNSClient);

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
}

function publisher(maxAttempts = 3) {
  return createSnsAlertPublisher({
    client: new SNSClient({ region: 'eu-west-1' }),
    topicArn: TOPIC,
    maxAttempts,
    sleep: async () => {},
  });
}

const message = buildAlertMessage(aMatch({ id: 'm1' }), { alertedAt: '2026-11-29T05:00:00Z' });

describe('createSnsAlertPublisher', () => {
  afterEach(() => {
    sns.reset();
  });

  it('publishes the structured message with subject and filterable attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    expect(await publisher().publish(message)).toEqual({ messageId: 'sns-1' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      Subject: message.subject,
      MessageStructure: 'json',
      MessageAttributes: message.attributes,
    });
    expect(Object.keys(JSON.parse(input?.Message ?? '{}'))).toContain('email');
  });

  it('publishes a digest the same way', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-2' });
    const digest = buildDigestMessage([], { digestedAt: '2026-11-29T05:00:00Z' });
    expect(await publisher().publishDigest(digest)).toEqual({ messageId: 'sns-2' });
  });

  it('retries throttling and succeeds when SNS recovers', async () => {
    sns.on(PublishCommand).rejectsOnce(throttled()).resolves({ MessageId: 'sns-3' });
    expect(await publisher().publish(message)).toEqual({ messageId: 'sns-3' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('gives up after maxAttempts with a transient AlertPublishError', async () => {
    sns.on(PublishCommand).rejects(throttled());
    const error = await publisher(3)
      .publish(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertPublishError);
    expect((error as AlertPublishError).transient).toBe(true);
    expect((error as Error).message).toContain('after 3 attempt(s)');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  it('does not retry a publish that got no answer, and says it may have been delivered', async () => {
    sns
      .on(PublishCommand)
      .rejects(
        Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
      );
    const error = await publisher(3)
      .publish(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertPublishError);
    expect((error as AlertPublishError).maybeDelivered).toBe(true);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('says a publish SNS answered with an error was not delivered', async () => {
    sns.on(PublishCommand).rejects(throttled());
    const error = await publisher(2)
      .publish(message)
      .catch((caught: unknown) => caught);
    expect((error as AlertPublishError).maybeDelivered).toBe(false);
  });

  it('refuses a message over the SNS size limit without sending it', async () => {
    const huge = buildAlertMessage(aMatch({ id: 'huge', title: 'x'.repeat(300_000) }), {
      alertedAt: '2026-11-29T05:00:00Z',
    });
    const error = await publisher()
      .publish(huge)
      .catch((caught: unknown) => caught);
    expect((error as AlertPublishError).transient).toBe(false);
    expect((error as Error).message).toMatch(/over SNS's 262144/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('does not retry an error that time will not fix', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    await expect(publisher().publish(message)).rejects.toThrow('NotFoundException');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });
});

describe('createAlertSnsClient', () => {
  it('gives up on a server that never answers, and the publish counts as maybe delivered', async () => {
    sns.restore();
    const sockets = new Set<Socket>();
    const silent = createServer(() => {});
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
    try {
      const client = createAlertSnsClient({
        region: 'eu-west-1',
        endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        requestTimeoutMs: 200,
      });
      const error = await createSnsAlertPublisher({
        client,
        topicArn: TOPIC,
        sleep: async () => {},
      })
        .publish(message)
        .catch((caught: unknown) => caught);
      expect((error as AlertPublishError).maybeDelivered).toBe(true);
      expect((error as Error).message).toContain('got no answer after 1 attempt(s)');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => silent.close(closed));
    }
  });
});

describe('isTransient', () => {
  it('treats server errors and reset connections as transient, bad requests as not', () => {
    expect(isTransient({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient({ code: 'ECONNRESET' })).toBe(true);
    expect(
      isTransient({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }),
    ).toBe(false);
  });
});
