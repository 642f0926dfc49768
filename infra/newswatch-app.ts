import { Annotations, App, type AppProps, type Environment, Tags } from 'aws-cdk-lib';
import type { Config } from '#shared/config/config-schema.ts';
import { type LoadDeployConfigOptions, loadDeployConfig } from './deploy-config.ts';
import { ServiceStack } from './service-stack.ts';
import { StorageStack } from './storage-stack.ts';

export interface NewswatchApp {
  readonly app: App;
  /** The validated config both stacks were built from. */
  readonly config: Config;
  readonly storage: StorageStack;
  readonly service: ServiceStack;
}

export interface BuildAppOptions extends LoadDeployConfigOptions {
  /** App props (context, outdir); tests pass their own. */
  readonly appProps?: AppProps;
  /**
   * Account and region of both stacks.
   * @default - environment-agnostic stacks
   */
  readonly stackEnv?: Environment;
}

/** Builds the newswatch app: the storage stack, then the service stack wired to its parts. */
export function buildNewswatchApp(options: BuildAppOptions = {}): NewswatchApp {
  const app = new App(options.appProps);
  const deploy = loadDeployConfig(app.node, { cwd: options.cwd, env: options.env });
  const storage = new StorageStack(app, `${deploy.instance}Storage`, {
    env: options.stackEnv,
    description: 'newswatch: table and topics (stateful)',
    tableRemovalPolicy: deploy.tableRemovalPolicy,
    alertEmails: deploy.config.alerts.emails,
    opsEmails: deploy.opsEmails,
    opsTopicEncryption: deploy.opsTopicEncryption,
  });
  if (deploy.config.alerts.emails.length === 0) {
    Annotations.of(storage).addWarningV2(
      'newswatch:no-alert-email',
      'No alert e-mail address: alerts will reach the SNS topic and no one else. Deploy with -c alertEmail=you@example.com, or subscribe to the AlertTopicArn output yourself.',
    );
  }
  const service = new ServiceStack(app, `${deploy.instance}Service`, {
    env: options.stackEnv,
    description: 'newswatch: schedule, functions, queues, API, alarms (stateless)',
    table: storage.table,
    alertTopic: storage.alertTopic,
    opsTopic: storage.opsTopic,
    deliveryDeadLetterQueue: storage.deliveryDeadLetterQueue,
    config: deploy.config,
    monitoring: deploy.monitoring,
    apiName: `${deploy.instance}Api`,
  });
  // Cost allocation: every taggable resource of both stacks says which product and which
  // instance it belongs to (activate the keys as cost allocation tags in the billing console).
  Tags.of(app).add('newswatch:app', 'newswatch');
  Tags.of(app).add('newswatch:instance', deploy.instance);
  return { app, config: deploy.config, storage, service };
}
