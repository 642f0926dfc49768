import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

// The re-drive itself runs in-process against the store with SQS and SNS mocked
// (test/integration/alerts/alert-redrive.test.ts); here, the command as a user types it.
describe('newswatch redrive-alerts, as typed', () => {
  it('needs the queue, and says so with exit code 2', async () => {
    const result = await runCli(['redrive-alerts', '--table', 'newswatch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--queue <url>' not specified");
  });

  it('names each bad option before it touches AWS', async () => {
    const result = await runCli(['redrive-alerts', '--queue', 'not a url', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad option: .*queue: expected the queue URL/);
    expect(result.stderr).toMatch(/table: is required/);
  });
});
