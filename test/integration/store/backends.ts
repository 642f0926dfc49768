import { inject } from 'vitest';
import { createTestTable, startEmbeddedTestDb, type TestTable } from '../support/dynamo-table.ts';

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
      const db = await startEmbeddedTestDb();
      const table = await createTestTable(db.endpoint, 'store');
      return {
        table,
        close: async () => {
          await table.drop();
          await db.close();
        },
      };
    },
  },
] as const;
