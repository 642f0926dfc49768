// Placeholder until the alert function lands; the CDK app bundles this entry.
export async function handler(): Promise<never> {
  throw new Error('the alert function is not built yet');
}
