/**
 * Types of the `k6/x/sse` module: the subset of the xk6-sse API the agentwire scripts use, which the in-repo
 * extension (ext/sse) implements, plus its optional `now()`.
 */
declare module "k6/x/sse" {
  export interface SseParams {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    tags?: Record<string, string>;
  }

  export interface SseEvent {
    id: string;
    name: string;
    data: string;
  }

  export interface SseError {
    error(): string;
  }

  export interface SseClient {
    on(event: "open", handler: () => void): void;
    on(event: "event", handler: (event: SseEvent) => void): void;
    on(event: "error", handler: (error: SseError) => void): void;
    close(): void;
  }

  export interface SseResponse {
    status: number;
    headers?: Record<string, string>;
    error?: string;
  }

  interface SseModule {
    open(url: string, params: SseParams, setup: (client: SseClient) => void): SseResponse;
    /** Monotonic milliseconds with microsecond resolution (agentwire extension only; absent in xk6-sse). */
    now?: () => number;
  }

  const sse: SseModule;
  export default sse;
}
