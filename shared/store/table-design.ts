/**
 * The single table's key schema, indexes, TTL and stream, shared by the store adapter, the local
 * table setup and the CDK stack so the three cannot drift.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    /** Time-bucketed listings: matches and facets by month, signatures and sent alerts by day. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Matches of one outlet, by month. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  timeToLiveAttribute: 'expiresAt',
  streamViewType: 'NEW_IMAGE',
} as const;

/**
 * Event-source filter for the alert function: only newly inserted, alert-worthy matches.
 * Attribute names follow the adapter's item layout: every match item carries `entity = 'match'`
 * and the `alert` boolean (see dynamodb-match-codec.ts); index and ledger items never match.
 */
export const ALERT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['match'] }, alert: { BOOL: [true] } } },
} as const;
