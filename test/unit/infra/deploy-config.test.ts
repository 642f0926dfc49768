import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadDeployConfig } from '#infra/deploy-config.ts';

const NO_CONFIG_DIR = '/nonexistent-newswatch-config-dir';

function load(context: Record<string, unknown>, cwd = NO_CONFIG_DIR) {
  return loadDeployConfig(new App({ context }).node, { cwd, env: {} });
}

describe('loadDeployConfig', () => {
  it('uses the ConfigSchema defaults when neither context nor file says otherwise', () => {
    const { config, tableRemovalPolicy } = load({});
    expect(config.intervalMinutes).toBe(15);
    expect(config.api.authMode).toBe('iam');
    expect(tableRemovalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  it('adds the comma-separated -c alertEmail addresses to the alert e-mails', () => {
    const { config, opsEmails } = load({ alertEmail: 'a@example.com, b@example.com' });
    expect(config.alerts.emails).toEqual(['a@example.com', 'b@example.com']);
    expect(opsEmails).toEqual(['a@example.com', 'b@example.com']);
  });

  it('rejects a malformed alertEmail and names the context key', () => {
    expect(() => load({ alertEmail: 'nobody' })).toThrow(/alertEmail/);
  });

  it('reads newswatch.config.json from the working directory and validates it with ConfigSchema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-config-'));
    writeFileSync(
      join(dir, 'newswatch.config.json'),
      JSON.stringify({ intervalMinutes: 30, alerts: { emails: ['file@example.com'] } }),
    );
    const { config } = load({ alertEmail: 'cli@example.com' }, dir);
    expect(config.intervalMinutes).toBe(30);
    expect(config.alerts.emails).toEqual(['file@example.com', 'cli@example.com']);
  });

  it('fails synthesis on an invalid config file, naming the bad key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-config-'));
    writeFileSync(join(dir, 'newswatch.config.json'), JSON.stringify({ intervalMinutes: 0 }));
    expect(() => load({}, dir)).toThrow(/intervalMinutes/);
  });

  it('accepts the newswatch context as an object or as JSON text', () => {
    expect(load({ newswatch: { intervalMinutes: 5 } }).config.intervalMinutes).toBe(5);
    expect(load({ newswatch: '{"intervalMinutes": 7}' }).config.intervalMinutes).toBe(7);
  });

  it('rejects newswatch context text that is not JSON', () => {
    expect(() => load({ newswatch: '{not json' })).toThrow(/newswatch: must be a JSON object/);
  });

  it('reads any config setting from -c by its dotted path, JSON text as JSON', () => {
    const { config } = load({
      intervalMinutes: '30',
      'alerts.mode': 'daily',
      'thresholds.alert': '0.8',
      'api.corsOrigins': '["https://news.example.com"]',
    });
    expect(config.intervalMinutes).toBe(30);
    expect(config.alerts.mode).toBe('daily');
    expect(config.thresholds.alert).toBe(0.8);
    expect(config.api.corsOrigins).toEqual(['https://news.example.com']);
  });

  it('lets -c key=value win over the newswatch context object', () => {
    const { config } = load({ newswatch: { intervalMinutes: 20 }, intervalMinutes: '45' });
    expect(config.intervalMinutes).toBe(45);
  });

  it('refuses a -c key that is no setting, naming it', () => {
    expect(() => load({ intervalMinuts: '30' })).toThrow(/intervalMinuts/);
    expect(() => load({ 'alerts.modes': 'daily' })).toThrow(/modes/);
  });

  it('refuses a -c value the setting cannot take, naming the setting', () => {
    expect(() => load({ intervalMinutes: 'often' })).toThrow(/intervalMinutes/);
  });

  it('refuses to deploy a config that lets feeds reach private addresses', () => {
    expect(() => load({ 'fetch.allowPrivateNetwork': 'true' })).toThrow(
      /fetch\.allowPrivateNetwork/,
    );
  });

  it("leaves the CDK's own context keys alone", () => {
    const { config } = load({
      '@aws-cdk/core:newStyleStackSynthesis': true,
      'aws:cdk:bundling-stacks': [],
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
    });
    expect(config.intervalMinutes).toBe(15);
  });

  it('destroys the table with the stack only when tableRemoval is destroy', () => {
    expect(load({ tableRemoval: 'destroy' }).tableRemovalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(() => load({ tableRemoval: 'snapshot' })).toThrow(/tableRemoval/);
  });

  it('sends alarms to the opsEmail addresses when given', () => {
    expect(load({ alertEmail: 'a@example.com', opsEmail: 'ops@example.com' }).opsEmails).toEqual([
      'ops@example.com',
    ]);
  });

  it('defaults to essential monitoring and no customer-managed topic key', () => {
    const { monitoring, opsTopicEncryption } = load({});
    expect(monitoring).toBe('essential');
    expect(opsTopicEncryption).toBe('none');
  });

  it('reads -c monitoring=full and -c opsTopicEncryption=kms', () => {
    const deploy = load({ monitoring: 'full', opsTopicEncryption: 'kms' });
    expect(deploy.monitoring).toBe('full');
    expect(deploy.opsTopicEncryption).toBe('kms');
  });

  it('rejects an unknown monitoring level or topic encryption, naming the context key', () => {
    expect(() => load({ monitoring: 'verbose' })).toThrow(/monitoring/);
    expect(() => load({ opsTopicEncryption: 'aws' })).toThrow(/opsTopicEncryption/);
  });
});
