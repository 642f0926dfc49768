import { inject } from 'vitest';
import {
  createEmbeddedTestStore,
  createTestTable,
  type TestTable,
} from '../support/dynamo-table.ts';

/** The two DynamoDB API implementations every store test runs against. */
export const BACKENDS = [
  {
    name: 'DynamoDB Local',
    open: async (): Promise<{ table: TestTable; close(): Promise<void> }> => {
      const table = await createTestTable(inject('dynamoLocalEndpoint'), 'store');
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
] as const;
