import { z } from 'zod';

// Each section defaults to `{}` parsed through its own schema (prefault), so every default is
// written once, on its field.

/** Everything a user can set, for the local runner and the CDK app alike. */
export const ConfigSchema = z.strictObject({
  /** Feed list: JSON (`{"feeds": [...]}`) or OPML. */
  feedsFile: z.string().min(1).default('seeds/feeds.json'),
  /** Folder of seed articles and the optional profile overlay. */
  seedsDir: z.string().min(1).default('seeds'),
  /** Where the local runner keeps its embedded store and alert log. */
  dataDir: z.string().min(1).default('.newswatch'),
  /** Minutes between sweeps. */
  intervalMinutes: z.number().int().min(1).max(1440).default(15),
  /** Override the profile's thresholds; unset keeps the profile's own. */
  thresholds: z
    .strictObject({
      match: z.number().min(0).max(1).optional(),
      alert: z.number().min(0).max(1).optional(),
    })
    .prefault({}),
  alerts: z
    .strictObject({
      emails: z.array(z.email()).default([]),
      maxPerSweep: z.number().int().min(1).max(1000).default(10),
      maxPerHour: z.number().int().min(1).max(10_000).default(30),
      mode: z.enum(['instant', 'hourly', 'daily']).default('instant'),
    })
    .prefault({}),
  api: z
    .strictObject({
      port: z.number().int().min(0).max(65_535).default(8787),
      host: z.string().min(1).default('127.0.0.1'),
      authMode: z.enum(['iam', 'none']).default('iam'),
      corsOrigins: z.array(z.string()).default([]),
      /** Local server only: when set, requests must send it in `x-api-key`. */
      localKey: z.string().min(16, 'must be at least 16 characters').optional(),
    })
    .prefault({}),
  retention: z
    .strictObject({
      matchesDays: z.number().int().min(1).max(3650).default(365),
      ledgerDays: z.number().int().min(1).max(3650).default(30),
    })
    .prefault({}),
  fetch: z
    .strictObject({
      concurrency: z.number().int().min(1).max(256).default(16),
      perHostConcurrency: z.number().int().min(1).max(4).default(2),
      timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024)
        .default(10 * 1024 * 1024),
      allowPrivateNetwork: z.boolean().default(false),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Every setting at its default: the one source for defaults outside this schema (CDK, store). */
export const CONFIG_DEFAULTS: Config = ConfigSchema.parse({});
