// Placeholder until the ingest function lands; the CDK app bundles this entry.
export async function handler(): Promise<never> {
  throw new Error('the ingest function is not built yet');
}
