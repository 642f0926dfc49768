import type { TestProject } from 'vitest/node';
import { hasJava, startDynamoDbLocal } from '../support/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * http://127.0.0.1:<port> of the DynamoDB Local this run started; empty when Java is missing
     * outside CI, and the tests that need DynamoDB Local itself then skip.
     */
    dynamoLocalEndpoint: string;
  }
}

/**
 * Starts one in-memory DynamoDB Local for the integration project and stops it afterwards.
 * A laptop with only Node still passes `npm test`: without Java the DynamoDB Local runs are
 * skipped, saying so, and the embedded store carries the suites. CI installs Java and insists.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!hasJava()) {
    if (process.env.CI) throw new Error(`${NO_JAVA} CI must run DynamoDB Local: install a JRE.`);
    process.stderr.write(
      `\n${NO_JAVA} Tests against DynamoDB Local are skipped; the embedded store runs the same suites. Install a JRE (e.g. \`apt-get install openjdk-17-jre-headless\`) to run them.\n\n`,
    );
    project.provide('dynamoLocalEndpoint', '');
    return async () => {};
  }
  const local = await startDynamoDbLocal();
  project.provide('dynamoLocalEndpoint', local.endpoint);
  return () => local.stop();
}

const NO_JAVA = 'DynamoDB Local needs Java 17 or later on the PATH, and `java -version` failed.';
