import { buildNewswatchApp } from './newswatch-app.ts';

// The CDK app entry (cdk.json: "npx tsx infra/app.ts"). Deployed to the CLI's account and region.
const { app } = buildNewswatchApp({
  stackEnv: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});
app.synth();
