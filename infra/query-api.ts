import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CONFIG_DEFAULTS } from '#shared/config/config-schema.ts';
import { EnvName } from '#shared/config/lambda-env.ts';
import { FEED_LIST_PK, FEEDS_PK } from '#shared/store/dynamodb-keys.ts';
import { FUNCTION_ENTRIES } from './bundle-options.ts';
import { acknowledgeGrantWildcards } from './grant-findings.ts';
import { NewswatchFunction, type ThresholdOverrides } from './newswatch-function.ts';

export type ApiAuthMode = 'iam' | 'none';

export interface QueryApiProps {
  /** The newswatch table; the API reads it and writes the feed list alone. */
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
  /** A managed policy allowing the feed list's edits (POST /feeds, DELETE /feeds/{id}). */
  public readonly feedEditorPolicy: iam.ManagedPolicy;
  public readonly accessLogs: logs.LogGroup;
  /** The key that signs pagination cursors, generated per deployment; only the api function reads it. */
  public readonly cursorSecret: secretsmanager.Secret;

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

    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Signs the newswatch API pagination cursors (HMAC-SHA256)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // The service stack is stateless: a new key only invalidates the cursors in flight.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor key signs page tokens that live for one listing; rotating it means redeploying the service stack, which only makes open cursors answer 400.',
    });

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
      // Adding and removing feeds: the list's items, and the state a removed feed leaves.
      .writePartitions(props.table, [FEED_LIST_PK, FEEDS_PK])
      .readSecret(EnvName.cursorSecretArn, this.cursorSecret);

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
              allowMethods: ['GET', 'OPTIONS'],
              allowHeaders: apigateway.Cors.DEFAULT_HEADERS,
            }
          : undefined,
      deployOptions: {
        stageName: API_STAGE_NAME,
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        metricsEnabled: true,
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
    // GET reaches the function on the root and on every path below it; the feed list's edits
    // on their two paths alone.
    this.api.root.addMethod('GET', integration, methodOptions);
    this.api.root.addResource('{proxy+}').addMethod('GET', integration, methodOptions);
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
