import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

describe('newswatch loads only the command it runs', () => {
  it('lists every command in the help, which loads them all', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'profile',
      'score',
      'parse',
      'run',
      'serve',
      'matches',
      'start',
      'feedback',
      'eval',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it.each(['nosuch', 'toString', 'constructor'])(
    'refuses the unknown command %s by name, exit 2',
    async (name) => {
      const result = await runCli([name]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown command '${name}'`);
    },
  );
});
