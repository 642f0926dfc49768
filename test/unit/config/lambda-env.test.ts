import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS } from '#shared/config/config-schema.ts';
import {
  AlertEnvSchema,
  ApiEnvSchema,
  IngestEnvSchema,
  LambdaEnvError,
  readLambdaEnv,
  ScheduleEnvSchema,
} from '#shared/config/lambda-env.ts';

describe('readLambdaEnv', () => {
  it('names every missing variable', () => {
    expect(() => readLambdaEnv(ScheduleEnvSchema, {})).toThrow(LambdaEnvError);
    expect(() => readLambdaEnv(ScheduleEnvSchema, {})).toThrow(
      /TABLE_NAME.*INGEST_FUNCTION_NAME.*FEEDS_FILE.*INTERVAL_MINUTES/,
    );
  });

  it('turns numeric variables into numbers and applies the defaults', () => {
    const env = readLambdaEnv(IngestEnvSchema, {
      TABLE_NAME: 't',
      SEEDS_DIR: '/var/task/seeds',
      MATCH_THRESHOLD: '0.35',
    });
    expect(env).toMatchObject({
      MATCH_THRESHOLD: 0.35,
      FETCH_TIMEOUT_MS: 20_000,
      MATCH_RETENTION_DAYS: 365,
    });
    expect(env.ALERT_THRESHOLD).toBeUndefined();
  });

  it('rejects a threshold outside 0-1, naming it', () => {
    expect(() =>
      readLambdaEnv(IngestEnvSchema, { TABLE_NAME: 't', SEEDS_DIR: 's', ALERT_THRESHOLD: '2' }),
    ).toThrow(/ALERT_THRESHOLD/);
  });

  it('splits the CORS origins list', () => {
    const env = readLambdaEnv(ApiEnvSchema, {
      TABLE_NAME: 't',
      SEEDS_DIR: 's',
      FEEDS_FILE: 'f',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(env.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('takes the defaults and bounds of the config keys the variables mirror', () => {
    const env = readLambdaEnv(AlertEnvSchema, { TABLE_NAME: 't', ALERT_TOPIC_ARN: 'arn' });
    expect(env).toMatchObject({
      ALERT_MAX_PER_SWEEP: CONFIG_DEFAULTS.alerts.maxPerSweep,
      ALERT_MAX_PER_HOUR: CONFIG_DEFAULTS.alerts.maxPerHour,
      ALERT_MODE: CONFIG_DEFAULTS.alerts.mode,
      MATCH_RETENTION_DAYS: CONFIG_DEFAULTS.retention.matchesDays,
      LEDGER_RETENTION_DAYS: CONFIG_DEFAULTS.retention.ledgerDays,
    });
    expect(() =>
      readLambdaEnv(AlertEnvSchema, {
        TABLE_NAME: 't',
        ALERT_TOPIC_ARN: 'a',
        ALERT_MAX_PER_SWEEP: '0',
      }),
    ).toThrow(/ALERT_MAX_PER_SWEEP/);
    expect(() =>
      readLambdaEnv(AlertEnvSchema, {
        TABLE_NAME: 't',
        ALERT_TOPIC_ARN: 'a',
        MATCH_RETENTION_DAYS: 'a year',
      }),
    ).toThrow(/MATCH_RETENTION_DAYS/);
  });
});
