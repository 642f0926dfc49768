import { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  type RedriveEntry,
  type RedriveSummary,
  redriveAlerts,
} from '#shared/alerts/alert-redrive.ts';
import { createAlertService } from '#shared/alerts/alert-service.ts';
import {
  createAlertSnsClient,
  createSnsAlertPublisher,
} from '#shared/alerts/sns-alert-publisher.ts';
import { sqsFailureQueue } from '#shared/alerts/sqs-failure-queue.ts';
import { describeZodIssues } from '#shared/config/config-error.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { DynamoDbStore, documentClientFor } from '#shared/store/dynamodb-store.ts';
import { withConfigOption } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { terminalJson } from '../terminal-output.ts';

const RedriveOptionsSchema = z
  .object({
    queue: z.url({ error: 'expected the queue URL (https://sqs.<region>.amazonaws.com/...)' }),
    table: z.string().min(1, 'expected the table name').optional(),
    topic: z
      .string()
      .regex(/^arn:aws[\w-]*:sns:/, 'expected the alert topic ARN (arn:aws:sns:...)')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region such as eu-west-1')
      .optional(),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
    config: z.string().optional(),
  })
  .refine((options) => options.table !== undefined, { path: ['table'], error: 'is required' })
  .refine((options) => options.dryRun || options.topic !== undefined, {
    path: ['topic'],
    error: 'is required unless --dry-run',
  });

/** Where the command writes (the process's streams unless a test gives others), and its clock. */
export interface RedriveOutput {
  out: (text: string) => void;
  err: (text: string) => void;
  now?: () => Date;
}

export function registerRedriveAlertsCommand(program: Command): void {
  withConfigOption(
    program
      .command('redrive-alerts')
      .description(
        "re-drive the deployed alert function's failures: the matches its failure queue points at",
      )
      .requiredOption('--queue <url>', 'the failure queue (DeliveryDeadLetters) URL')
      .option('--table <name>', 'the newswatch table (TableName of the storage stack)')
      .option('--topic <arn>', 'the alert topic (AlertTopicArn); not needed with --dry-run')
      .option('--region <region>', "AWS region (default: the queue URL's)")
      .option('--dry-run', 'show what would be re-driven; send and remove nothing')
      .option('--json', 'print one JSON object: {"entries": [...], "summary": {...}}'),
  ).action(async (raw: Record<string, unknown>) => {
    process.exitCode = await runRedriveAlerts(raw, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  });
}

/**
 * The command without commander: validate the options, build the clients (SQS, DynamoDB, SNS)
 * with the user's credentials, re-drive, print; returns the exit code.
 */
export async function runRedriveAlerts(
  raw: Record<string, unknown>,
  output: RedriveOutput,
): Promise<number> {
  const parsed = RedriveOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError(`bad option: ${describeZodIssues(parsed.error)}`, ExitCode.Usage);
  }
  const options = parsed.data;
  const config = loadConfig({ file: options.config });
  const region = options.region ?? regionOfQueue(options.queue);
  const store = new DynamoDbStore({
    client: documentClientFor({ region }),
    tableName: options.table as string,
    matchRetentionDays: config.retention.matchesDays,
    ledgerRetentionDays: config.retention.ledgerDays,
    now: output.now,
  });
  const alerts = createAlertService({
    store,
    now: output.now,
    publisher: createSnsAlertPublisher({
      client: createAlertSnsClient(region ? { region } : {}),
      // Only a dry run goes without a topic, and a dry run publishes nothing.
      topicArn: options.topic ?? '',
    }),
    settings: {
      maxPerSweep: config.alerts.maxPerSweep,
      maxPerHour: config.alerts.maxPerHour,
      mode: config.alerts.mode,
      leaseSeconds: 60,
    },
  });
  const entries: RedriveEntry[] = [];
  let summary: RedriveSummary;
  try {
    summary = await redriveAlerts(
      {
        queue: sqsFailureQueue(new SQSClient(region ? { region } : {}), options.queue),
        matches: store,
        alerts,
        report: (entry) => {
          entries.push(entry);
          if (!options.json) output.out(terminalText(`${describeEntry(entry)}\n`));
        },
      },
      { dryRun: options.dryRun },
    );
  } catch (error) {
    // Reading the queue failed: no credentials, access denied, a wrong URL or region.
    const { name, message } = error as Error;
    throw new CliError(`cannot read the failure queue ${options.queue}: ${name}: ${message}`);
  }
  output.out(options.json ? `${terminalJson({ entries, summary })}\n` : summaryLine(summary));
  for (const entry of entries.filter((e) => e.outcome === 'failed' || e.outcome === 'left')) {
    output.err(terminalText(`newswatch: ${describeEntry(entry)}\n`));
  }
  return summary.failed + summary.left > 0 ? ExitCode.Partial : ExitCode.Ok;
}

/** `https://sqs.eu-west-1.amazonaws.com/...` names its region; other URLs leave it to the SDK. */
function regionOfQueue(queueUrl: string): string | undefined {
  return /^sqs[.-]([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(new URL(queueUrl).hostname)?.[1];
}

function describeEntry(entry: RedriveEntry): string {
  const record = entry.record;
  const what =
    record.kind === 'stream-batch'
      ? `stream batch of ${record.batchSize} (shard ${record.shardId}, ${record.startSequenceNumber}..${record.endSequenceNumber}), matches stored ${entry.window?.since ?? record.firstArrival} to ${entry.window?.until ?? record.lastArrival}`
      : record.kind === 'digest'
        ? `digest run (${record.source === 'lambda' ? 'failed' : 'not delivered by the scheduler'})`
        : `record left in the queue: ${record.reason}`;
  const counts =
    entry.matches === undefined
      ? entry.digestStories === undefined
        ? ''
        : `: ${entry.digestStories} stories in the digest`
      : entry.sent === undefined
        ? `: ${entry.matches} alert-worthy matches not yet alerted`
        : `: ${entry.matches} matches, ${entry.sent} sent, ${entry.digested} to the digest, ${entry.duplicates} already alerted`;
  const error = entry.error ? ` (${entry.error})` : '';
  return `${entry.messageId} ${entry.outcome}: ${what}${counts}${error}`;
}

function summaryLine(summary: RedriveSummary): string {
  return `${summary.messages} records: ${summary.reDriven} re-driven, ${summary.wouldReDrive} would be re-driven, ${summary.failed} failed, ${summary.left} left; ${summary.sent} alerts sent, ${summary.digested} to the digest, ${summary.duplicates} already alerted, ${summary.digestStories} stories in a digest\n`;
}
