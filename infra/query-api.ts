import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONFIG_DEFAULTS } from '#shared/config/config-schema.ts';
import { EnvName } from '#shared/config/lambda-env.ts';
import {
  CURSOR_KEY_PK,
  FEED_LIST_PK,
  FEEDBACK_PK,
  FEEDS_PK,
  PROFILE_PK,
} from '#shared/store/dynamodb-keys.ts';
import { FUNCTION_ENTRIES } from './bundle-options.ts';
import { acknowledgeGrantWildcards } from './grant-findings.ts';
import { NewswatchFunction, type ThresholdOverrides } from './newswatch-function.ts';

export type ApiAuthMode = 'iam' | 'none';

export interface QueryApiProps {
  /** The newswatch table; the API reads it and writes the partitions of users' edits alone. */
  readonly table: ITable;
  /** Seeds folder copied into the bundle (for `GET /profile`). */
  readonly seedsDir: string;
  /**
   * Days a match is kept: the same as the functions that write them, so reads agree.
   * @default CONFIG_DEFAULTS.retention.matchesDays
   */
  readonly matchRetentionInDays?: number;
  /**
   * Days the seen-item ledger remembers an item.
   * @default CONFIG_DEFAULTS.retention.ledgerDays
   */
  readonly ledgerRetentionInDays?: number;
  /**
   * The same threshold overrides the ingest function scores with.
   * @default - the profile's own thresholds
   */
  readonly thresholds?: ThresholdOverrides;
  /** Feed list copied into the bundle: it seeds the stored list when the store holds none. */
  readonly feedsFile: string;
  /**
   * The API's name in the console, so two instances in one account are told apart.
   * @default - the construct's path
   */
  readonly apiName?: string;
  /**
   * `iam`: every method needs SigV4-signed requests; `none`: anyone with the URL may read.
   * @default 'iam'
   */
  readonly authMode?: ApiAuthMode;
  /**
   * Browser origins allowed by CORS.
   * @default - no CORS (server-side callers only)
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Steady-state requests per second across the stage.
   * @default 10
   */
  readonly throttlingRatePerSecond?: number;
  /**
   * Burst of requests above the steady rate.
   * @default 20
   */
  readonly throttlingBurst?: number;
  /**
   * How long access logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

/** The stage every caller reaches; part of the URL and of the IAM resource a caller is granted. */
export const API_STAGE_NAME = 'v1';

/**
 * The query API: API Gateway (REST, regional, IAM auth, throttled, access-logged) proxying every
 * route to the api function, which reads the table and writes the feed list alone.
 */
export class QueryApi extends Construct {
  public readonly api: apigateway.RestApi;
  public readonly apiFunction: NewswatchFunction;
  /** A managed policy allowing GET on this API; attach it to the callers' users or roles. */
  public readonly readerPolicy: iam.ManagedPolicy;
  /** A managed policy allowing the feedback POSTs (grades and misses); attach it to graders. */
  public readonly feedbackPolicy: iam.ManagedPolicy;
  /**
   * A managed policy allowing the profile changes (`POST /profile/versions`, `PUT
   * /profile/in-use`); attach it to whoever may change what the functions score with.
   */
  public readonly profileEditorPolicy: iam.ManagedPolicy;
  /** A managed policy allowing the feed list's edits (POST /feeds, DELETE /feeds/{id}). */
  public readonly feedEditorPolicy: iam.ManagedPolicy;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    const where = `QueryApi ${this.node.path}`;
    const rate = props.throttlingRatePerSecond ?? 10;
    const burst = props.throttlingBurst ?? 20;
    if (!(rate > 0) || !Number.isInteger(burst) || burst < 1) {
      throw new Error(
        `${where}: throttlingRatePerSecond must be > 0 and throttlingBurst a positive integer, got ${rate} and ${burst}`,
      );
    }
    const corsOrigins = [...(props.corsOrigins ?? [])];
    for (const origin of corsOrigins) {
      if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
        throw new Error(
          `${where}: CORS origin must be "*" or scheme://host[:port], got "${origin}"`,
        );
      }
    }
    const authMode = props.authMode ?? 'iam';

    this.apiFunction = new NewswatchFunction(this, 'Handler', {
      entry: FUNCTION_ENTRIES.api,
      description: 'Serves matches, feeds and the profile over the API',
      timeout: Duration.seconds(15),
      memorySizeInMiB: 512,
      seedsDir: props.seedsDir,
      thresholds: props.thresholds,
      feedsFile: props.feedsFile,
      environment: {
        [EnvName.corsOrigins]: corsOrigins.join(','),
        [EnvName.matchRetentionDays]: String(
          props.matchRetentionInDays ?? CONFIG_DEFAULTS.retention.matchesDays,
        ),
        [EnvName.ledgerRetentionDays]: String(
          props.ledgerRetentionInDays ?? CONFIG_DEFAULTS.retention.ledgerDays,
        ),
      },
    })
      .useTable(props.table, 'read')
      // The API's only writes: the cursor key, made on first use (free, where a Secrets Manager
      // secret costs $0.40 a month; docs/api.md says why it is enough), users' feedback, and the
      // profile's versions (conditional puts, never overwrites)...
      .writePartitions(props.table, [CURSOR_KEY_PK, FEEDBACK_PK, PROFILE_PK], ['dynamodb:PutItem'])
      // ...and adding and removing feeds: the list's items, and the state a removed feed leaves.
      .writePartitions(props.table, [FEED_LIST_PK, FEEDS_PK]);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.apiName,
      description: 'newswatch query API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Access logging needs API Gateway's account-level CloudWatch role, which a fresh account
      // lacks: without it the stage fails to create and the stack rolls back. The role is kept
      // when the stack goes, so other APIs of the account (or another instance) keep logging.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultCorsPreflightOptions:
        corsOrigins.length > 0
          ? {
              allowOrigins: corsOrigins,
              allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
              allowHeaders: apigateway.Cors.DEFAULT_HEADERS,
            }
          : undefined,
      deployOptions: {
        stageName: API_STAGE_NAME,
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        metricsEnabled: true,
        // X-Ray on the stage: a request's trace runs from the gateway into the api function.
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    // The query parameters are validated by the handler with zod, the one source of truth for
    // the local server and the deployed API; the gateway validator on every method rejects a
    // request with a body or a malformed parameter before it costs an invocation.
    const requestValidator = this.api.addRequestValidator('RequestValidator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = new apigateway.LambdaIntegration(this.apiFunction.function);
    const methodOptions: apigateway.MethodOptions = {
      authorizationType:
        authMode === 'iam' ? apigateway.AuthorizationType.IAM : apigateway.AuthorizationType.NONE,
      requestValidator,
    };
    // GET reaches the function on the root and on every path below it; POST below it, for
    // feedback (the router answers 405 for a POST on any other route). The profile's and the
    // feed list's changes each have their own resource and method, so IAM can grant them apart.
    this.api.root.addMethod('GET', integration, methodOptions);
    const proxy = this.api.root.addResource('{proxy+}');
    proxy.addMethod('GET', integration, methodOptions);
    proxy.addMethod('POST', integration, methodOptions);
    const profile = this.api.root.addResource('profile');
    profile.addMethod('GET', integration, methodOptions);
    const versions = profile.addResource('versions');
    versions.addMethod('GET', integration, methodOptions);
    versions.addMethod('POST', integration, methodOptions);
    profile.addResource('in-use').addMethod('PUT', integration, methodOptions);
    const feeds = this.api.root.addResource('feeds');
    feeds.addMethod('GET', integration, methodOptions);
    feeds.addMethod('POST', integration, methodOptions);
    feeds.addResource('{id}').addMethod('DELETE', integration, methodOptions);

    this.readerPolicy = new iam.ManagedPolicy(this, 'ReaderPolicy', {
      description: 'Allows signed GET requests to the newswatch API',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [this.api.arnForExecuteApi('GET', '/*', API_STAGE_NAME)],
        }),
      ],
    });

    this.feedbackPolicy = new iam.ManagedPolicy(this, 'FeedbackPolicy', {
      description:
        'Allows signed feedback POSTs to the newswatch API: grading matches, reporting misses',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            this.api.arnForExecuteApi('POST', '/matches/*/feedback', API_STAGE_NAME),
            this.api.arnForExecuteApi('POST', '/feedback', API_STAGE_NAME),
          ],
        }),
      ],
    });

    this.profileEditorPolicy = new iam.ManagedPolicy(this, 'ProfileEditorPolicy', {
      description: 'Allows signed requests that change the newswatch profile in use',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            this.api.arnForExecuteApi('POST', '/profile/versions', API_STAGE_NAME),
            this.api.arnForExecuteApi('PUT', '/profile/in-use', API_STAGE_NAME),
          ],
        }),
      ],
    });

    this.feedEditorPolicy = new iam.ManagedPolicy(this, 'FeedEditorPolicy', {
      description: 'Allows signed requests that add and remove feeds of the newswatch API',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            this.api.arnForExecuteApi('POST', '/feeds', API_STAGE_NAME),
            this.api.arnForExecuteApi('DELETE', '/feeds/*', API_STAGE_NAME),
          ],
        }),
      ],
    });

    this.acknowledgeFindings(authMode, corsOrigins.length > 0);
  }

  private acknowledgeFindings(authMode: ApiAuthMode, cors: boolean): void {
    const stage = this.api.deploymentStage;
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A read-only, IAM-authenticated, throttled API for a handful of callers; WAF would cost more than the risk it removes. Add a WebACL for a public deployment.',
    });
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Access logs and the Lambda logs cover every request; execution logs would add their volume and cost for nothing they do not show.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level logging role takes AmazonAPIGatewayPushToCloudWatchLogs, the managed policy AWS documents for it; it can only write logs.",
      });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Callers authenticate with IAM (SigV4), not a Cognito user pool.',
    });
    if (authMode === 'none') {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The deploy config sets api.authMode "none": the operator chose a public read API.',
      });
    } else if (cors) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Only the CORS preflight (OPTIONS) methods are open: browsers send them without credentials.',
      });
    }
    acknowledgeGrantWildcards(this.feedbackPolicy, [
      {
        matches: (finding, actions) =>
          finding.startsWith('Resource::') &&
          finding.endsWith(`/${API_STAGE_NAME}/POST/matches/*/feedback`) &&
          actions.every((action) => action === 'execute-api:Invoke'),
        reason:
          'Graders may POST a grade to the feedback route of any match of this one API stage; match ids are not known in advance.',
      },
    ]);
    acknowledgeGrantWildcards(this.readerPolicy, [
      {
        matches: (finding, actions) =>
          finding.startsWith('Resource::') &&
          finding.endsWith(`/${API_STAGE_NAME}/GET/*`) &&
          actions.every((action) => action === 'execute-api:Invoke'),
        reason:
          'Callers may GET every route of this one API stage (/matches, /matches/{id}, /feeds, /profile); nothing else.',
      },
    ]);
    acknowledgeGrantWildcards(this.feedEditorPolicy, [
      {
        matches: (finding, actions) =>
          finding.startsWith('Resource::') &&
          finding.endsWith(`/${API_STAGE_NAME}/DELETE/feeds/*`) &&
          actions.every((action) => action === 'execute-api:Invoke'),
        reason:
          'DELETE /feeds/{id} names the feed in its path: editors may remove any feed of this one API stage, and nothing else.',
      },
    ]);
  }

  /** Outputs for the caller: URL and the policy (action and resource) that grants access. */
  public addOutputs(scope: Construct): void {
    new CfnOutput(scope, 'ApiUrl', {
      value: this.api.url,
      description: 'Base URL of the newswatch API (GET /matches, /matches/{id}, /feeds, /profile)',
    });
    new CfnOutput(scope, 'ApiReaderPolicyArn', {
      value: this.readerPolicy.managedPolicyArn,
      description:
        'Attach this managed policy to the IAM user or role that calls the API, then sign requests with SigV4 (service execute-api)',
    });
    new CfnOutput(scope, 'ApiFeedbackPolicyArn', {
      value: this.feedbackPolicy.managedPolicyArn,
      description:
        'Attach this managed policy, with the reader policy, to whoever grades matches (newswatch feedback --remote)',
    });
    new CfnOutput(scope, 'ApiProfileEditorPolicyArn', {
      value: this.profileEditorPolicy.managedPolicyArn,
      description:
        'Attach this managed policy (with the reader policy) to whoever may change the profile in use: newswatch profile apply|rollback --remote',
    });
    new CfnOutput(scope, 'ApiFeedEditorPolicyArn', {
      value: this.feedEditorPolicy.managedPolicyArn,
      description:
        'Attach this managed policy (besides the reader policy) to whoever adds and removes feeds with `newswatch feeds --remote`',
    });
    new CfnOutput(scope, 'ApiInvokePermission', {
      value: `execute-api:Invoke on ${this.api.arnForExecuteApi('GET', '/*', API_STAGE_NAME)}`,
      description: 'The IAM action and resource a caller needs (what the reader policy grants)',
    });
  }
}
