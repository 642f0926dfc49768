// The API, always by relative URL: the page works the same against `newswatch serve` and
// `newswatch serve --remote`, whichever server handed it out.

export class ApiError extends Error {}

export async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const detail = body?.errors?.map((e) => `${e.parameter} ${e.message}`).join('; ');
    throw new ApiError(detail || body?.detail || `${path} answered ${response.status}`);
  }
  return body;
}

/** A JSON POST; answers the body the API returned, or throws with the fields it refused. */
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) {
    const detail = answer?.errors?.map((e) => `${e.parameter} ${e.message}`).join('; ');
    throw new ApiError(detail || answer?.detail || `${path} answered ${response.status}`);
  }
  return answer;
}
