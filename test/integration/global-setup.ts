import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * http://127.0.0.1:<port> of the DynamoDB Local this run started; empty when Java is missing
     * outside CI, and the tests that need DynamoDB Local itself then skip.
     */
    dynamoLocalEndpoint: string;
  }
}

const EMULATOR_DIR = resolve(
  import.meta.dirname,
  '../../node_modules/amplify-dynamodb-simulator/emulator',
);
const STARTUP_TIMEOUT_MS = 90_000;

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
  const port = await freePort();
  const child = spawn(
    'java',
    [
      // Quick start and a bounded heap: tests are short and the machine is shared.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx512m',
      `-Djava.library.path=${resolve(EMULATOR_DIR, 'DynamoDBLocal_lib')}`,
      '-jar',
      resolve(EMULATOR_DIR, 'DynamoDBLocal.jar'),
      '-inMemory',
      // One database whatever credentials and region a test's client uses.
      '-sharedDb',
      '-port',
      String(port),
    ],
    { cwd: EMULATOR_DIR, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, () => stderr);
  } catch (error) {
    await stop(child);
    throw error;
  }
  project.provide('dynamoLocalEndpoint', endpoint);
  return () => stop(child);
}

const NO_JAVA = 'DynamoDB Local needs Java 17 or later on the PATH, and `java -version` failed.';

function hasJava(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), {
          abortSignal: AbortSignal.timeout(2000),
        });
        return;
      } catch {
        await sleep(200);
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms`);
  } finally {
    client.destroy();
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
