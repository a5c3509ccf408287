/** One HTTP request/response pair as the suite saw it. Checks are functions of these. */

export interface HttpRequest {
  method: string;
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Raw body as sent, if any (JSON text for JSON bodies; may be deliberately malformed). */
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw body text (decoded as UTF-8). Empty string when there is none. */
  body: string;
}

/** Times from performance.now() in this process, in milliseconds. */
export interface Timings {
  sentAt: number;
  headersAt: number;
  endAt: number;
}

export interface Exchange {
  request: HttpRequest;
  response: HttpResponse;
  timings: Timings;
  /** The body was cut after a reading window (a stream that does not end by itself). */
  truncated?: boolean;
}

export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? "").split(";")[0]!.trim().toLowerCase();

/** Parses a JSON response body; undefined when it is not JSON. */
export function jsonBody(response: HttpResponse): unknown {
  if (!response.body) return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}
