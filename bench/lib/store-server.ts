/**
 * Helper process for bench-sweep: the embedded store (dynalite, in memory) on 127.0.0.1, kept in
 * its own process so the sweep's memory and CPU figures are the pipeline's alone. Exits with its
 * parent or after its lifetime.
 *
 * Args: <lifetimeSeconds>
 */
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { exitWithParent } from './child-process.ts';

const lifetimeSeconds = Number(process.argv[2] ?? 600);
const db = await startEmbeddedDynamoDb({});
exitWithParent(lifetimeSeconds * 1000, () => void db.close());
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'memory') {
    process.send?.({
      type: 'memory',
      rssBytes: process.memoryUsage().rss,
      cpu: process.cpuUsage(),
    });
  }
});
process.send?.({ type: 'ready', endpoint: db.endpoint });
