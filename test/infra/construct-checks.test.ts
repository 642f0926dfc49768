import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '#infra/alert-pipeline.ts';
import { QueryApi } from '#infra/query-api.ts';
import { SweepPipeline, type SweepPipelineProps } from '#infra/sweep-pipeline.ts';
import { unbundledApp } from './build-test-app.ts';

function table(stack: Stack, stream = true): dynamodb.Table {
  return new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    stream: stream ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
  });
}

function sweep(overrides: Partial<SweepPipelineProps>): () => SweepPipeline {
  const stack = new Stack(unbundledApp(), 'Test');
  return () =>
    new SweepPipeline(stack, 'Sweep', {
      table: table(stack),
      intervalInMinutes: 15,
      seedsDir: 'seeds',
      feedsFile: 'seeds/feeds.json',
      matchRetentionInDays: 365,
      ledgerRetentionInDays: 30,
      ...overrides,
    });
}

describe('synth-time checks', () => {
  it('refuses an ingest timeout that does not cover the fetch rounds of the largest chunk', () => {
    expect(
      sweep({ fetchTimeout: Duration.seconds(60), ingestTimeout: Duration.seconds(180) }),
    ).toThrow(/ingestTimeout \(180 s\) must exceed 3 x fetchTimeout \(60 s\)/);
  });

  it('derives a default ingest timeout that covers a slow fetch timeout', () => {
    expect(sweep({ fetchTimeout: Duration.seconds(60) })().ingestFunction.function.timeout).toEqual(
      Duration.seconds(210),
    );
  });

  it('refuses a sweep interval outside 1-1440 minutes', () => {
    expect(sweep({ intervalInMinutes: 0 })).toThrow(
      /intervalInMinutes must be an integer 1-1440, got 0/,
    );
  });

  it('refuses an ingest chunk larger than fifty feeds', () => {
    expect(sweep({ ingestBatchSize: 51 })).toThrow(
      /ingestBatchSize must be an integer 1-50, got 51/,
    );
  });

  it('refuses a tick of no ingest invocation at all', () => {
    expect(sweep({ maxConcurrentIngests: 0 })).toThrow(
      /maxConcurrentIngests must be an integer 1-1000, got 0/,
    );
  });

  it('refuses to drive alerts from a table without a stream', () => {
    const stack = new Stack(unbundledApp(), 'Test');
    expect(
      () =>
        new AlertPipeline(stack, 'Alerts', {
          table: table(stack, false),
          alertTopic: new sns.Topic(stack, 'Topic'),
          maxPerSweep: 10,
          maxPerHour: 30,
          mode: 'instant',
          matchRetentionInDays: 365,
          ledgerRetentionInDays: 30,
        }),
    ).toThrow(/the table has no stream/);
  });

  it('refuses a CORS origin that is not scheme://host', () => {
    const stack = new Stack(unbundledApp(), 'Test');
    expect(
      () =>
        new QueryApi(stack, 'Query', {
          table: table(stack),
          seedsDir: 'seeds',
          feedsFile: 'seeds/feeds.json',
          corsOrigins: ['news.example.com/path'],
        }),
    ).toThrow(/CORS origin must be "\*" or scheme:\/\/host\[:port\], got "news.example.com\/path"/);
  });
});
