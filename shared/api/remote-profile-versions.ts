import type { z } from 'zod';
import { ProfileVersionListSchema, ProfileVersionSchema } from './api-schemas.ts';
import { parseBody } from './remote-reads.ts';
import type { RemoteApi } from './signed-api-client.ts';

export type RemoteProfileVersion = z.output<typeof ProfileVersionSchema>;
export type RemoteProfileVersionList = z.output<typeof ProfileVersionListSchema>;

/** The deployed API's overlay versions, newest first, and the one in use. */
export async function fetchRemoteProfileVersions(
  api: RemoteApi,
): Promise<RemoteProfileVersionList> {
  const response = await api.send({ method: 'GET', path: '/profile/versions' });
  return parseBody(api, response, ProfileVersionListSchema);
}

/** Adds the overlay (parsed JSON, as written) as a new version in use on the deployed API. */
export async function postRemoteProfileVersion(
  api: RemoteApi,
  overlay: unknown,
  note?: string,
): Promise<RemoteProfileVersion> {
  const response = await api.send({
    method: 'POST',
    path: '/profile/versions',
    body: JSON.stringify({ overlay, ...(note ? { note } : {}) }),
  });
  return parseBody(api, response, ProfileVersionSchema);
}

/** Puts a stored version back in use on the deployed API. */
export async function putRemoteProfileInUse(
  api: RemoteApi,
  version: number,
): Promise<RemoteProfileVersion> {
  const response = await api.send({
    method: 'PUT',
    path: '/profile/in-use',
    body: JSON.stringify({ version }),
  });
  return parseBody(api, response, ProfileVersionSchema);
}
