/** The Managed API's error bodies: ErrorResponse {type, code, detail, status}, raised as ApiError. */

interface ErrorResponse {
  type: string;
  code: string;
  detail: string;
  status: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }

  body(): ErrorResponse {
    return { type: `https://docs.langchain.com/errors/${this.code}`, code: this.code, detail: this.detail, status: this.status };
  }
}

export const missingField = (path: string, what: string) =>
  new ApiError(400, "missing_required_field", `Set '${path}' to ${what}: '${path}' is required`);
export const invalidBody = (detail: string) => new ApiError(400, "invalid_request_body", detail);
export const unprocessable = (code: string, detail: string) => new ApiError(422, code, detail);
export const conflict = (code: string, detail: string) => new ApiError(409, code, detail);
export const upstreamError = (detail: string) => new ApiError(502, "upstream_error", detail);

export const agentNotFound = () => new ApiError(404, "agent_not_found", "No agent with this ID is visible to the calling identity: agent not found");
export const threadNotFound = () => new ApiError(404, "thread_not_found", "No thread with this ID is visible to the calling identity: thread not found");
export const mcpServerNotFound = () => new ApiError(404, "mcp_server_not_found", "No MCP server with this ID or URL is registered in the workspace");
export const authSessionNotFound = () => new ApiError(404, "auth_session_not_found", "No authorization session with this ID exists");
// Documented for runs on a thread whose agent was deleted: the runtime refuses to run it.
export const orphanedThread = () =>
  new ApiError(502, "upstream_auth_failed", "The agent this thread belongs to no longer exists: upstream agent runtime rejected the request");
