import type { MatchFeedbackInput, MissReportInput } from '#shared/feedback/feedback-input.ts';
import { cleanText } from '#shared/feeds/text-clean.ts';
import type { Feedback, FeedbackPage } from '#shared/store/feedback-schema.ts';
import { FeedbackItemSchema, FeedbackPageSchema } from './feedback-schemas.ts';
import { type RemoteApi, RemoteApiError, type RemoteResponse } from './signed-api-client.ts';

/** The deployed API's feedback routes, as the CLI's `--remote` uses them. */
export interface RemoteFeedback {
  gradeMatch(
    id: string,
    input: MatchFeedbackInput,
  ): Promise<{ feedback: Feedback; created: boolean }>;
  reportMiss(input: MissReportInput): Promise<{ feedback: Feedback; created: boolean }>;
  listFeedback(query: { limit: number; cursor?: string }): Promise<FeedbackPage>;
}

/** Thrown for the API's 404 on grading: no such match. */
export class RemoteMatchNotFoundError extends Error {
  override readonly name = 'RemoteMatchNotFoundError';
}

export function remoteFeedback(api: RemoteApi): RemoteFeedback {
  const written = (response: RemoteResponse) => ({
    feedback: FeedbackItemSchema.parse(parseJson(api, expectStatus(api, response, [200, 201]))),
    created: response.status === 201,
  });
  return {
    async gradeMatch(id, input) {
      const response = await api.send({
        method: 'POST',
        path: `/matches/${encodeURIComponent(id)}/feedback`,
        body: JSON.stringify(input),
      });
      if (response.status === 404) {
        throw new RemoteMatchNotFoundError(`the API at ${api.baseUrl} holds no match ${id}`);
      }
      return written(response);
    },
    async reportMiss(input) {
      return written(
        await api.send({ method: 'POST', path: '/feedback', body: JSON.stringify(input) }),
      );
    },
    async listFeedback(query) {
      const response = await api.send({
        method: 'GET',
        path: '/feedback',
        query: { limit: String(query.limit), cursor: query.cursor },
      });
      return FeedbackPageSchema.parse(parseJson(api, expectStatus(api, response, [200])));
    },
  };
}

function expectStatus(api: RemoteApi, response: RemoteResponse, ok: number[]): string {
  if (ok.includes(response.status)) return response.body;
  let detail = response.body.slice(0, 300);
  try {
    const parsed = JSON.parse(response.body) as { detail?: unknown };
    if (typeof parsed.detail === 'string') detail = parsed.detail.slice(0, 500);
  } catch {
    // not JSON: show its start
  }
  throw new RemoteApiError(
    `the API at ${api.baseUrl} answered HTTP ${response.status}: ${cleanText(detail) || '(empty body)'}`,
  );
}

function parseJson(api: RemoteApi, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new RemoteApiError(`the API at ${api.baseUrl} answered with something other than JSON`);
  }
}
