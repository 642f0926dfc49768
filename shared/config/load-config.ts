import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, describeZodIssues } from './config-error.ts';
import { type Config, type ConfigInput, ConfigSchema } from './config-schema.ts';

export const DEFAULT_CONFIG_FILE = 'newswatch.config.json';

/** Environment variables a user may set, and the config key each one fills. */
const ENV_KEYS: Record<string, { path: string[]; kind: 'string' | 'number' | 'boolean' | 'list' }> =
  {
    NEWSWATCH_FEEDS: { path: ['feedsFile'], kind: 'string' },
    NEWSWATCH_SEEDS: { path: ['seedsDir'], kind: 'string' },
    NEWSWATCH_DATA_DIR: { path: ['dataDir'], kind: 'string' },
    NEWSWATCH_INTERVAL_MINUTES: { path: ['intervalMinutes'], kind: 'number' },
    NEWSWATCH_MATCH_THRESHOLD: { path: ['thresholds', 'match'], kind: 'number' },
    NEWSWATCH_ALERT_THRESHOLD: { path: ['thresholds', 'alert'], kind: 'number' },
    NEWSWATCH_ALERT_EMAILS: { path: ['alerts', 'emails'], kind: 'list' },
    NEWSWATCH_API_PORT: { path: ['api', 'port'], kind: 'number' },
    NEWSWATCH_API_KEY: { path: ['api', 'localKey'], kind: 'string' },
    NEWSWATCH_ALLOW_PRIVATE_NETWORK: { path: ['fetch', 'allowPrivateNetwork'], kind: 'boolean' },
  };

export interface LoadConfigOptions {
  /** Config file path; the default file is optional, a named one must exist. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from the command line, applied last. */
  overrides?: ConfigInput;
  cwd?: string;
}

/** Reads the config file, then the environment, then command-line overrides, and validates the lot. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const fromFile = readConfigFile(options.file, cwd);
  const fromEnv = readEnv(options.env ?? process.env);
  const merged = deepMerge(deepMerge(fromFile, fromEnv), options.overrides ?? {});
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${describeZodIssues(parsed.error)}`);
  }
  return parsed.data;
}

function readConfigFile(file: string | undefined, cwd: string): Record<string, unknown> {
  const path = resolve(cwd, file ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new ConfigError(`Config file not found: ${path}`);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function readEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { path, kind }] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(out, path, parseEnvValue(name, raw, kind));
  }
  return out;
}

function parseEnvValue(name: string, raw: string, kind: string): unknown {
  switch (kind) {
    case 'number': {
      const value = Number(raw);
      if (!Number.isFinite(value))
        throw new ConfigError(`${name}: expected a number, got "${raw}"`);
      return value;
    }
    case 'boolean':
      if (/^(1|true|yes)$/i.test(raw)) return true;
      if (/^(0|false|no)$/i.test(raw)) return false;
      throw new ConfigError(`${name}: expected 1/0 or true/false, got "${raw}"`);
    case 'list':
      return raw
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` laid on `base`, objects merged key by key, anything else replaced. */
export function deepMerge(base: Record<string, unknown>, over: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
