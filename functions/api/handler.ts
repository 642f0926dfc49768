// Placeholder until the api function lands; the CDK app bundles this entry.
export async function handler(): Promise<never> {
  throw new Error('the api function is not built yet');
}
