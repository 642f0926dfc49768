import {
  createEmbeddedTestStore,
  createTestTable,
  dynamoLocalEndpoint,
  type TestTable,
} from '../support/dynamo-table.ts';

/**
 * The two DynamoDB API implementations every store test runs against (DynamoDB Local only when
 * this run has Java).
 */
export const BACKENDS = [
  {
    name: 'DynamoDB Local',
    open: async (): Promise<{ table: TestTable; close(): Promise<void> }> => {
      const table = await createTestTable(dynamoLocalEndpoint() ?? '', 'store');
      return { table, close: () => table.drop() };
    },
  },
  {
    name: 'embedded dynalite',
    open: async (): Promise<{ table: TestTable; close(): Promise<void> }> => {
      const { table, close } = await createEmbeddedTestStore();
      return { table, close };
    },
  },
].filter((backend) => backend.name !== 'DynamoDB Local' || dynamoLocalEndpoint());
