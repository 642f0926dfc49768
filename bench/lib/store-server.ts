/**
 * Helper process for bench-sweep: the store on 127.0.0.1, kept apart from the sweep so the sweep's
 * memory and CPU figures are the pipeline's alone. DynamoDB Local where Java runs (it has what
 * DynamoDB on AWS has, transactions included), else the embedded dynalite;
 * BENCH_STORE=dynalite asks for dynalite anyway. Exits with its parent or after its lifetime.
 *
 * Args: <lifetimeSeconds>
 */
import { readFileSync } from 'node:fs';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { hasJava, startDynamoDbLocal } from '../../test/support/dynamodb-local.ts';
import { exitWithParent } from './child-process.ts';

const lifetimeSeconds = Number(process.argv[2] ?? 600);
/** Linux reports process times in clock ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

interface StoreUsage {
  rssBytes: number;
  cpu: NodeJS.CpuUsage;
}

/** RSS and CPU time of another process, from /proc. */
function usageOf(pid: number): StoreUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const microseconds = (field: string | undefined) =>
    (Number(field ?? 0) * 1_000_000) / TICKS_PER_SECOND;
  return {
    rssBytes: rssKib * 1024,
    cpu: { user: microseconds(fields[11]), system: microseconds(fields[12]) },
  };
}

const useJava = process.env.BENCH_STORE !== 'dynalite' && hasJava();
const store = useJava
  ? await (async () => {
      const local = await startDynamoDbLocal();
      return {
        backend: 'DynamoDB Local (in memory, Java)',
        endpoint: local.endpoint,
        // DynamoDB Local takes any credentials.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        usage: () => usageOf(local.pid),
        close: () => local.stop(),
      };
    })()
  : await (async () => {
      const db = await startEmbeddedDynamoDb({});
      return {
        backend: 'dynalite (embedded, in memory)',
        endpoint: db.endpoint,
        credentials: db.credentials,
        usage: (): StoreUsage => ({ rssBytes: process.memoryUsage().rss, cpu: process.cpuUsage() }),
        close: () => db.close(),
      };
    })();

exitWithParent(lifetimeSeconds * 1000, () => void store.close());
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'memory') {
    const { rssBytes, cpu } = store.usage();
    process.send?.({ type: 'memory', rssBytes, cpu });
  }
});
process.send?.({
  type: 'ready',
  endpoint: store.endpoint,
  credentials: store.credentials,
  backend: store.backend,
});
