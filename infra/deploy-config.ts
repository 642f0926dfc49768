import { RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { z } from 'zod';
import { ConfigError, describeZodIssues } from '#shared/config/config-error.ts';
import type { Config } from '#shared/config/config-schema.ts';
import { deepMerge, loadConfig } from '#shared/config/load-config.ts';
import { type MetricsLevel, MetricsLevelSchema } from '#shared/observability/metrics-level.ts';

/** CDK context keys the app reads (`-c key=value` or the `context` block of cdk.json). */
export const ContextKey = {
  /** Config file validated with ConfigSchema; default `newswatch.config.json` if present. */
  configFile: 'configFile',
  /** Comma-separated alert addresses, added to the config's `alerts.emails`. */
  alertEmail: 'alertEmail',
  /** Comma-separated ops (alarm) addresses; default the alert addresses. */
  opsEmail: 'opsEmail',
  /** A config object (or its JSON text), applied over the file. */
  config: 'newswatch',
  /** `retain` (default) or `destroy`: what deleting the storage stack does to the table. */
  tableRemoval: 'tableRemoval',
  /** `essential` (default) or `full`: which alarms, metrics and dashboard the stack has (docs/deploy.md). */
  monitoring: 'monitoring',
  /** `none` (default) or `kms`: a customer-managed key for both topics, so the ops topic is encrypted too. */
  opsTopicEncryption: 'opsTopicEncryption',
  /** Prefix of the stack names and the API's name, so two instances fit in one account and region. */
  instance: 'instance',
} as const;

/** The instance name when none is given: the stacks keep the names of a single-instance deploy. */
export const DEFAULT_INSTANCE = 'Newswatch';

/** How the topics are encrypted; `kms` adds a customer-managed key ($1 a month). */
export const OpsTopicEncryptionSchema = z.enum(['none', 'kms']);
export type OpsTopicEncryption = z.infer<typeof OpsTopicEncryptionSchema>;

const emailList = z
  .string()
  .optional()
  .transform((raw) =>
    (raw ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()));

const ContextSchema = z.object({
  [ContextKey.configFile]: z.string().min(1).optional(),
  [ContextKey.alertEmail]: emailList,
  [ContextKey.opsEmail]: emailList,
  [ContextKey.config]: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .transform((value, ctx) => {
      if (typeof value !== 'string') return value ?? {};
      try {
        return JSON.parse(value) as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    }),
  [ContextKey.tableRemoval]: z.enum(['retain', 'destroy']).default('retain'),
  [ContextKey.monitoring]: MetricsLevelSchema.default('essential'),
  [ContextKey.opsTopicEncryption]: OpsTopicEncryptionSchema.default('none'),
  [ContextKey.instance]: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, {
      error: 'must start with a letter and hold at most 40 letters, digits and hyphens',
    })
    .default(DEFAULT_INSTANCE),
});

export interface DeployConfig {
  /** The validated config, alert e-mails from the context merged in. */
  readonly config: Config;
  readonly opsEmails: readonly string[];
  readonly tableRemovalPolicy: RemovalPolicy;
  /** Which alarms, custom metrics and dashboard the service stack has. */
  readonly monitoring: MetricsLevel;
  /** Whether the topics get a customer-managed key. */
  readonly opsTopicEncryption: OpsTopicEncryption;
  /** Prefix of the stack names and the API's name. */
  readonly instance: string;
}

export interface LoadDeployConfigOptions {
  /** Folder the config file and relative paths are read from. */
  readonly cwd?: string;
  /** Environment for NEWSWATCH_* overrides, as the local runner reads them. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Reads the CDK context and the config file into one ConfigSchema-validated deploy config. */
export function loadDeployConfig(node: Node, options: LoadDeployConfigOptions = {}): DeployConfig {
  const raw = Object.fromEntries(
    Object.values(ContextKey).map((key) => [key, node.tryGetContext(key) as unknown]),
  );
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`Invalid CDK context: ${describeZodIssues(parsed.error)}`);
  }
  const context = parsed.data;
  const base = loadConfig({
    file: context[ContextKey.configFile],
    cwd: options.cwd,
    env: options.env,
    overrides: deepMerge(context[ContextKey.config], settingsFromContext(node)),
  });
  if (base.fetch.allowPrivateNetwork) {
    throw new ConfigError(
      'fetch.allowPrivateNetwork: the deployed functions never fetch private, loopback or link-local addresses; the setting is for the local runner only',
    );
  }
  const emails = [...new Set([...base.alerts.emails, ...context[ContextKey.alertEmail]])];
  const config: Config = { ...base, alerts: { ...base.alerts, emails } };
  const opsEmails = context[ContextKey.opsEmail].length > 0 ? context[ContextKey.opsEmail] : emails;
  return {
    config,
    opsEmails,
    tableRemovalPolicy:
      context[ContextKey.tableRemoval] === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    monitoring: context[ContextKey.monitoring],
    opsTopicEncryption: context[ContextKey.opsTopicEncryption],
    instance: context[ContextKey.instance],
  };
}

/**
 * Every other context key is a config setting, by its dotted path (`-c intervalMinutes=30`,
 * `-c alerts.mode=daily`), so whatever the config file can say, `-c` can too; the config schema
 * then refuses a key it does not know, by name. The CDK's own keys (`@aws-cdk/...`, `aws:cdk:...`,
 * lookups) carry `@` or `:` and are left alone. `-c` values arrive as text: JSON text (a number,
 * `true`, a list) is read as JSON, anything else stays a string.
 */
function settingsFromContext(node: Node): Record<string, unknown> {
  const deployKeys = new Set<string>(Object.values(ContextKey));
  let settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.getAllContext())) {
    if (deployKeys.has(key) || key.startsWith('@') || key.includes(':')) continue;
    const nested = key
      .split('.')
      .reduceRight<unknown>((inner, part) => ({ [part]: inner }), contextValue(value));
    settings = deepMerge(settings, nested as Record<string, unknown>);
  }
  return settings;
}

function contextValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
