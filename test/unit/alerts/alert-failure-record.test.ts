import { describe, expect, it } from 'vitest';
import { readFailureRecord } from '#shared/alerts/alert-failure-record.ts';

const POINTER = {
  requestContext: { condition: 'MaximumRecordAgeExceeded' },
  DDBStreamBatchInfo: {
    shardId: 'shardId-1',
    startSequenceNumber: '100',
    endSequenceNumber: '110',
    approximateArrivalOfFirstRecord: '2026-11-29T05:01:02Z',
    approximateArrivalOfLastRecord: '2026-11-29T05:01:40.5+01:00',
    batchSize: 3,
  },
};

describe('readFailureRecord', () => {
  it('reads a stream batch pointer, its arrival times as UTC instants', () => {
    expect(readFailureRecord(JSON.stringify(POINTER))).toEqual({
      kind: 'stream-batch',
      shardId: 'shardId-1',
      startSequenceNumber: '100',
      endSequenceNumber: '110',
      batchSize: 3,
      firstArrival: '2026-11-29T05:01:02.000Z',
      lastArrival: '2026-11-29T04:01:40.500Z',
      condition: 'MaximumRecordAgeExceeded',
    });
  });

  it('tells a failed digest run from a digest tick the scheduler could not deliver', () => {
    expect(
      readFailureRecord(JSON.stringify({ requestPayload: { action: 'flush-digest' } })),
    ).toEqual({ kind: 'digest', source: 'lambda' });
    expect(readFailureRecord('{"action":"flush-digest"}')).toEqual({
      kind: 'digest',
      source: 'scheduler',
    });
  });

  it('calls everything else "other", whatever it holds', () => {
    const broken = { ...POINTER.DDBStreamBatchInfo, approximateArrivalOfFirstRecord: 'yesterday' };
    for (const body of [
      'not json',
      '',
      'null',
      '[]',
      JSON.stringify({ DDBStreamBatchInfo: broken }),
      JSON.stringify({ requestPayload: { feeds: [] } }),
      JSON.stringify({ Type: 'Notification', Message: '{}' }),
    ]) {
      expect(readFailureRecord(body).kind, body).toBe('other');
    }
  });
});
