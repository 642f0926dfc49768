import type { DynamoDbStore } from '#shared/store/dynamodb-store.ts';
import { BACKENDS } from '../store/backends.ts';
import type { TestTable } from './dynamo-table.ts';
import { logRequests } from './request-log.ts';

/**
 * A store on a fresh table of the embedded backend (the first one where it is missing), with the
 * name of every command it sends logged, for suites that check a component's requests.
 */
export async function openLoggedStore(options?: Parameters<TestTable['store']>[0]): Promise<{
  store: DynamoDbStore;
  requests: string[];
  close(): Promise<void>;
}> {
  const backend =
    BACKENDS.find((candidate) => candidate.name === 'embedded dynalite') ?? BACKENDS[0];
  if (!backend) throw new Error('no DynamoDB backend to test on');
  const { table, close } = await backend.open();
  return { store: table.store(options), requests: logRequests(table.documentClient), close };
}
