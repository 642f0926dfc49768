import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#shared/config/config-error.ts';
import { loadConfig } from '#shared/config/load-config.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'newswatch-config-'));
}

describe('loadConfig', () => {
  it('gives the defaults when there is no file and no environment', () => {
    const config = loadConfig({ cwd: tempDir(), env: {} });

    expect(config.feedsFile).toBe('seeds/feeds.json');
    expect(config.dataDir).toBe('.newswatch');
    expect(config.intervalMinutes).toBe(15);
    expect(config.api).toEqual({ port: 8787, host: '127.0.0.1', authMode: 'iam', corsOrigins: [] });
    expect(config.fetch.allowPrivateNetwork).toBe(false);
  });

  it('reads newswatch.config.json from the working directory', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'newswatch.config.json'),
      JSON.stringify({ intervalMinutes: 5, alerts: { maxPerSweep: 3 } }),
    );

    const config = loadConfig({ cwd, env: {} });

    expect(config.intervalMinutes).toBe(5);
    expect(config.alerts.maxPerSweep).toBe(3);
    expect(config.alerts.maxPerHour).toBe(30);
  });

  it('lets the environment override the file, and command-line overrides win over both', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'newswatch.config.json'), JSON.stringify({ dataDir: 'from-file' }));

    const fromEnv = loadConfig({ cwd, env: { NEWSWATCH_DATA_DIR: 'from-env' } });
    const fromCli = loadConfig({
      cwd,
      env: { NEWSWATCH_DATA_DIR: 'from-env' },
      overrides: { dataDir: 'from-cli' },
    });

    expect(fromEnv.dataDir).toBe('from-env');
    expect(fromCli.dataDir).toBe('from-cli');
  });

  it('parses booleans, numbers and lists from the environment', () => {
    const config = loadConfig({
      cwd: tempDir(),
      env: {
        NEWSWATCH_ALLOW_PRIVATE_NETWORK: '1',
        NEWSWATCH_API_PORT: '9000',
        NEWSWATCH_ALERT_EMAILS: 'a@example.com, b@example.com',
      },
    });

    expect(config.fetch.allowPrivateNetwork).toBe(true);
    expect(config.api.port).toBe(9000);
    expect(config.alerts.emails).toEqual(['a@example.com', 'b@example.com']);
  });

  it('names the bad key when a value is invalid', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'newswatch.config.json'),
      JSON.stringify({ alerts: { maxPerSweep: 0 } }),
    );

    expect(() => loadConfig({ cwd, env: {} })).toThrow(/alerts\.maxPerSweep/);
  });

  it('names an unknown key instead of ignoring it', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'newswatch.config.json'), JSON.stringify({ intervalMinuts: 5 }));

    expect(() => loadConfig({ cwd, env: {} })).toThrow(/intervalMinuts/);
  });

  it('names the variable when an environment value is not a number', () => {
    expect(() => loadConfig({ cwd: tempDir(), env: { NEWSWATCH_API_PORT: 'eighty' } })).toThrow(
      /NEWSWATCH_API_PORT/,
    );
  });

  it('fails with ConfigError when a named config file is missing or not JSON', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'broken.json'), '{ nope');

    expect(() => loadConfig({ cwd, env: {}, file: 'missing.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ cwd, env: {}, file: 'broken.json' })).toThrow(/not valid JSON/);
  });
});
