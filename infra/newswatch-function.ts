import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvName } from '#shared/config/lambda-env.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '#shared/observability/metric-names.ts';
import { METRICS_LEVEL_ENV, type MetricsLevel } from '#shared/observability/metrics-level.ts';
import { BUNDLE_OPTIONS } from './bundle-options.ts';
import { acknowledgeGrantWildcards } from './grant-findings.ts';
import { PROJECT_ROOT } from './project-root.ts';

/** Where Lambda unpacks the bundle; the seeds and the feed list are copied next to the code. */
const TASK_ROOT = '/var/task';

/**
 * The latest Node.js runtime aws-cdk-lib knows (cdk-nag AwsSolutions-L1 asks for it). Update it
 * with aws-cdk-lib; `determineLatestNodeRuntime` would pick a region-dependent runtime instead.
 */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export type TableAccess = 'read' | 'readWrite';

export interface NewswatchFunctionProps {
  /** Handler entry file, absolute or relative to the project root (e.g. `functions/ingest/handler.ts`). */
  readonly entry: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /**
   * Longest run of one invocation.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory, in MiB; CPU scales with it.
   * @default 512
   */
  readonly memorySizeInMiB?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * At most this many instances run at once; protects what the function calls.
   * @default - no reservation (the schedule function bounds the ingest invocations of a tick)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Seeds folder (seed articles, profile overlay), copied into the bundle as `seeds/`; sets `SEEDS_DIR`.
   * @default - no seeds in the bundle
   */
  readonly seedsDir?: string;
  /**
   * Score thresholds over the profile's own, for a function that bundles the seeds: every function
   * that scores or reports the profile gets the same, so `GET /profile` shows what scoring uses.
   * @default - the profile's own thresholds
   */
  readonly thresholds?: ThresholdOverrides;
  /**
   * Feed list (JSON or OPML), copied into the bundle as `feeds/<name>`; sets `FEEDS_FILE`.
   * @default - no feed list in the bundle
   */
  readonly feedsFile?: string;
  /**
   * Extra environment variables (values must not be secrets: Lambda shows them in the console).
   * @default - only the variables the intent methods set
   */
  readonly environment?: Record<string, string>;
}

/**
 * Every newswatch Lambda: one place for runtime, architecture, bundling, source maps, log group and
 * role, with intent methods that set an environment variable and its grant together.
 */
export class NewswatchFunction extends Construct implements iam.IGrantable {
  /** The underlying function. */
  public readonly function: NodejsFunction;
  /** The function's own role: a log-group grant, then only what the intent methods add. */
  public readonly role: iam.Role;
  /** The function's log group, with the configured retention. */
  public readonly logGroup: logs.LogGroup;
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: NewswatchFunctionProps) {
    super(scope, id);
    const entry = resolveInProject(props.entry);
    if (!existsSync(entry)) {
      throw new Error(`NewswatchFunction ${this.node.path}: entry file not found: ${entry}`);
    }
    const timeout = props.timeout ?? Duration.seconds(30);
    const timeoutSeconds = timeout.toSeconds();
    if (timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new Error(
        `NewswatchFunction ${this.node.path}: timeout must be 1-900 seconds, got ${timeoutSeconds}`,
      );
    }
    const memorySizeInMiB = props.memorySizeInMiB ?? 512;
    if (!Number.isInteger(memorySizeInMiB) || memorySizeInMiB < 128 || memorySizeInMiB > 10_240) {
      throw new Error(
        `NewswatchFunction ${this.node.path}: memorySizeInMiB must be an integer 128-10240, got ${memorySizeInMiB}`,
      );
    }
    const reserved = props.reservedConcurrentExecutions;
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new Error(
        `NewswatchFunction ${this.node.path}: reservedConcurrentExecutions must be a positive integer, got ${reserved}`,
      );
    }
    if (props.thresholds && props.seedsDir === undefined) {
      throw new Error(
        `NewswatchFunction ${this.node.path}: thresholds need seedsDir (the profile)`,
      );
    }
    const copies = bundledCopies(this.node.path, props.seedsDir, props.feedsFile);
    for (const [name, value] of [
      [EnvName.matchThreshold, props.thresholds?.match],
      [EnvName.alertThreshold, props.thresholds?.alert],
    ] as const) {
      if (value !== undefined) copies.environment[name] = String(value);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy (cdk-nag IAM4):
    // the function may write to its own log group and nothing else until an intent method says so.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout,
      memorySize: memorySizeInMiB,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: reserved,
      // X-Ray, so one sweep can be followed from the schedule through the ingest invocations
      // (the tracer in shared/observability passes the trace on with each AWS call).
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // The cheap set unless the stack says otherwise (useMetricsLevel): custom metrics bill monthly.
        [METRICS_LEVEL_ENV]: 'essential' satisfies MetricsLevel,
        ...copies.environment,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: BUNDLE_OPTIONS.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: BUNDLE_OPTIONS.sourcesContent,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        externalModules: [...BUNDLE_OPTIONS.external],
        banner: BUNDLE_OPTIONS.banner,
        metafile: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => copies.commands(outputDir),
        },
      },
    });
    this.grantPrincipal = this.role;
    acknowledgeGrantWildcards(this.role, [
      {
        matches: (finding, actions) =>
          finding === 'Resource::*' && actions.every((action) => action.startsWith('xray:')),
        reason:
          'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level permissions.',
      },
    ]);
  }

  /** Sets `TABLE_NAME` and grants read-only or read-write data access to the table. */
  public useTable(table: ITable, access: TableAccess): this {
    this.function.addEnvironment(EnvName.tableName, table.tableName);
    if (access === 'read') table.grantReadData(this.role);
    else table.grantReadWriteData(this.role);
    acknowledgeGrantWildcards(this.role, [
      {
        matches: (finding) => finding.startsWith('Resource::') && finding.endsWith('/index/*'),
        reason:
          "CDK's table grant covers the table's own secondary indexes (TABLE_DESIGN's gsi1 and gsi2, the query paths), not other tables.",
      },
    ]);
    return this;
  }

  /**
   * Grants writing (put, delete, batch write, or the actions given) the items of these partitions
   * of the table alone, on top of a read-only `useTable`: the condition on `dynamodb:LeadingKeys`
   * keeps every other item out of reach.
   */
  public writePartitions(
    table: ITable,
    partitionKeys: readonly string[],
    actions: readonly string[] = [
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
  ): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...partitionKeys] },
        },
      }),
    );
    return this;
  }

  /** Sets `ALERT_TOPIC_ARN` and grants publishing to the topic (and its key). */
  public publishTo(topic: ITopic): this {
    this.function.addEnvironment(EnvName.alertTopicArn, topic.topicArn);
    topic.grantPublish(this.role);
    acknowledgeGrantWildcards(this.role, [
      {
        matches: (finding) => finding === 'Action::kms:GenerateDataKey*',
        reason:
          "Publishing to a KMS-encrypted topic needs the key's GenerateDataKey* family; the grant names the topic's one key.",
      },
    ]);
    return this;
  }

  /** Grants reading the table's stream (for a stream event source), with its ListStreams statement acknowledged. */
  public readStreamOf(table: ITable): this {
    table.grantStreamRead(this.role);
    acknowledgeGrantWildcards(this.role, [
      {
        // With minimized policies CDK merges this statement with the tracing one (also on '*').
        matches: (finding, actions) =>
          finding === 'Resource::*' &&
          actions.includes('dynamodb:ListStreams') &&
          actions.every(
            (action) => action === 'dynamodb:ListStreams' || action.startsWith('xray:'),
          ),
        reason:
          'dynamodb:ListStreams (and the xray actions of active tracing) have no resource-level permissions; the stream reads themselves are scoped to the table stream.',
      },
    ]);
    return this;
  }

  /** Sets `NEWSWATCH_METRICS_LEVEL`: which custom metrics the function emits (shared/observability). */
  public useMetricsLevel(level: MetricsLevel): this {
    this.function.addEnvironment(METRICS_LEVEL_ENV, level);
    return this;
  }

  /** Sets a plain (non-secret) environment variable. */
  public setEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }
}

function resolveInProject(path: string): string {
  return isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/** Overrides of the profile's match and alert thresholds (0 to 1), as the config gives them. */
export interface ThresholdOverrides {
  readonly match?: number;
  readonly alert?: number;
}

interface BundledCopies {
  environment: Record<string, string>;
  commands(outputDir: string): string[];
}

/** The files copied next to the bundle after esbuild, and the variables that point at them. */
function bundledCopies(
  path: string,
  seedsDir: string | undefined,
  feedsFile: string | undefined,
): BundledCopies {
  const environment: Record<string, string> = {};
  const sources: { from: string; to: string; folder: boolean }[] = [];
  if (seedsDir !== undefined) {
    const from = resolveInProject(seedsDir);
    if (!existsSync(from) || !statSync(from).isDirectory()) {
      throw new Error(`NewswatchFunction ${path}: seedsDir is not a folder: ${from}`);
    }
    sources.push({ from, to: 'seeds', folder: true });
    environment[EnvName.seedsDir] = `${TASK_ROOT}/seeds`;
  }
  if (feedsFile !== undefined) {
    const from = resolveInProject(feedsFile);
    if (!existsSync(from) || !statSync(from).isFile()) {
      throw new Error(`NewswatchFunction ${path}: feedsFile is not a file: ${from}`);
    }
    const to = `feeds/${basename(from)}`;
    sources.push({ from, to, folder: false });
    environment[EnvName.feedsFile] = `${TASK_ROOT}/${to}`;
  }
  return {
    environment,
    commands: (outputDir) =>
      sources.flatMap(({ from, to, folder }) => {
        const target = `${outputDir}/${to}`;
        return folder
          ? [`cp -R "${from}" "${target}"`]
          : [`mkdir -p "${outputDir}/feeds"`, `cp "${from}" "${target}"`];
      }),
  };
}
