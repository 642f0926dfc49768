import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/** The key that signs pagination cursors (HMAC-SHA256): long enough that it cannot be guessed. */
const CursorSecretSchema = z.string().min(32, 'must be at least 32 characters');

/** Reads a secret's current value by its ARN or name. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** The Secrets Manager adapter: the secret's current string value. */
export function secretsManagerReader(
  client: SecretsManagerClient = new SecretsManagerClient({}),
): SecretReader {
  return async (secretId) => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return SecretString;
  };
}

/** The deployment's cursor key; a missing or short value fails the cold start, naming the secret. */
export async function readCursorSecret(read: SecretReader, secretId: string): Promise<string> {
  const parsed = CursorSecretSchema.safeParse(await read(secretId));
  if (!parsed.success) {
    throw new Error(`cursor secret ${secretId}: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}
