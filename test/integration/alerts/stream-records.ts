import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { ALERT_STREAM_FILTER } from '#shared/store/table-design.ts';

/** Reads a table's stream from the start, as the event source mapping does (TRIM_HORIZON). */
export class StreamReader {
  private readonly streams: DynamoDBStreamsClient;
  private iterators = new Map<string, string | undefined>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    endpoint: string,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** Every record written since the last call, across all shards, in sequence order. */
  async next(): Promise<_Record[]> {
    const table = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${this.tableName} has no stream`);
    const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: _Record[] = [];
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      let iterator = this.iterators.get(shardId);
      if (!this.iterators.has(shardId)) {
        const start = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        iterator = start.ShardIterator;
      }
      // DynamoDB Local can return an empty page before the records: read until a page is empty
      // after some records were found, or a few empty pages in a row.
      let emptyPages = 0;
      while (iterator && emptyPages < 3) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        const found = page.Records ?? [];
        records.push(...found);
        emptyPages = found.length === 0 ? emptyPages + 1 : 0;
      }
      this.iterators.set(shardId, iterator);
    }
    return records.sort((a, b) =>
      compareSequence(a.dynamodb?.SequenceNumber, b.dynamodb?.SequenceNumber),
    );
  }

  close(): void {
    this.streams.destroy();
  }
}

/** Applies ALERT_STREAM_FILTER as the event source mapping would, on real stream records. */
export function passesAlertFilter(record: _Record): boolean {
  const image = record.dynamodb?.NewImage;
  const { eventName, dynamodb } = ALERT_STREAM_FILTER;
  return (
    (eventName as readonly string[]).includes(record.eventName ?? '') &&
    image !== undefined &&
    (dynamodb.NewImage.entity.S as readonly string[]).includes(image.entity?.S ?? '') &&
    (dynamodb.NewImage.alert.BOOL as readonly boolean[]).includes(image.alert?.BOOL ?? false)
  );
}

/** The Lambda event for a batch of stream records. */
export function streamEvent(records: _Record[]): { Records: unknown[] } {
  return {
    Records: records.map((record) => ({
      eventID: record.eventID,
      eventName: record.eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: record.dynamodb?.SequenceNumber,
        NewImage: record.dynamodb?.NewImage,
        StreamViewType: record.dynamodb?.StreamViewType,
      },
    })),
  };
}

function compareSequence(a = '', b = ''): number {
  return a.length - b.length || a.localeCompare(b);
}
