/** An HTTP request as the router sees it, whatever carried it (API Gateway or node:http). */
export interface ApiRequest {
  method: string;
  /** The path without the query string, still percent-encoded. */
  path: string;
  /** Query parameters, decoded; a parameter given more than once arrives as an array. */
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | undefined>;
  /** The request body as text, for the routes that take one. */
  body?: string;
  requestId: string;
}

/** An HTTP response the transport writes as is. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ApiRouter = (request: ApiRequest) => Promise<ApiResponse>;
