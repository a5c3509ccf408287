/** Names, request shapes and small JSON helpers shared by the stream scenarios of both APIs. */
import { jsonBody, type Exchange, type HttpRequest } from "../../core/exchange.ts";

export const MANAGED = "managed-deep-agents" as const;
export const AGENT_SERVER = "agent-server" as const;

/** Keys the Managed API documents for the metadata half of a messages-tuple event (ls_* only on model chunks). */
export const MANAGED_TUPLE_KEYS = { tupleMetadataKeys: ["langgraph_node", "run_id", "thread_id", "assistant_id"], modelMetadataKeys: ["ls_model_name", "ls_provider"] };
export const AGENT_SERVER_TUPLE_KEYS = { tupleMetadataKeys: ["langgraph_node"], modelMetadataKeys: [] };

export function streamReq(req: HttpRequest, headers: Record<string, string> = {}): HttpRequest {
  return { ...req, headers: { ...req.headers, accept: "text/event-stream", ...headers } };
}

export function json(x: Exchange): any {
  return jsonBody(x.response);
}

export const TERMINAL_RUN = ["success", "error", "interrupted", "timeout"];
export const userMessage = (content = "hi") => ({ messages: [{ role: "user", content }] });
