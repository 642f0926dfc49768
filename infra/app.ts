import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildNewswatchApp } from './newswatch-app.ts';

// The CDK app entry (cdk.json: "npx tsx infra/app.ts"), deployed to the CLI's account and region.
const { app } = buildNewswatchApp({
  stackEnv: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});
// `cdk synth` and `cdk deploy` fail on any unacknowledged AwsSolutions finding, as the test does.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
