import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadFeedList } from '#shared/feeds/load-feed-list.ts';
import { buildNewswatchApp } from './newswatch-app.ts';

// The CDK app entry (cdk.json: "npx tsx infra/app.ts"), deployed to the CLI's account and region.
const { app, config } = buildNewswatchApp({
  stackEnv: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});
// A broken feed list fails the synth here, not the first scheduled sweep after the deploy.
await loadFeedList(config.feedsFile);
// `cdk synth` and `cdk deploy` fail on any unacknowledged AwsSolutions finding, as the test does.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
