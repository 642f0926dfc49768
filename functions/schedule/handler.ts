// Placeholder until the schedule function lands; the CDK app bundles this entry.
export async function handler(): Promise<never> {
  throw new Error('the schedule function is not built yet');
}
