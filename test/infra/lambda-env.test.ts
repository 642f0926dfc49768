import { describe, expect, it } from 'vitest';
import {
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
});
